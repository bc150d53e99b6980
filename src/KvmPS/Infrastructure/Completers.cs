using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KvmPS.Engine;
using KvmPS.Engine.Domains;

namespace KvmPS.Commands;

/// <summary>Completes VM names from the host the command line names (or the session default).</summary>
public sealed class VMNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var pattern = WildcardPattern.Get((wordToComplete ?? "").Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        List<string> names;
        try
        {
            var session = KvmSessionState.Current;
            string uri = session.ResolveUri(fakeBoundParameters["Uri"] as string);
            LibvirtConnection conn = session.GetConnection(uri);
            names = conn.ListAllDomains().Select(h => { using (h) { return LibvirtConnection.GetName(h); } }).ToList();
        }
        catch (Exception e) when (e is LibvirtException or InvalidOperationException or DllNotFoundException)
        {
            yield break; // completion must never throw at the user
        }
        foreach (string n in names.Where(pattern.IsMatch).OrderBy(x => x, StringComparer.Ordinal))
        {
            string text = n.Contains(' ') ? $"'{n}'" : n;
            yield return new CompletionResult(text, n, CompletionResultType.ParameterValue, n);
        }
    }
}

/// <summary>Completes libosinfo short ids (ubuntu22.04, debian12, win11, ...).</summary>
public sealed class OSVariantCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string prefix = (wordToComplete ?? "").Trim('\'', '"');
        return OsInfoDatabase.Default.Entries
            .SelectMany(e => e.ShortIds.Select(s => (s, e.Name)))
            .Where(x => x.s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .OrderBy(x => x.s, StringComparer.Ordinal)
            .Take(200)
            .Select(x => new CompletionResult(x.s, x.s, CompletionResultType.ParameterValue, x.Name));
    }
}

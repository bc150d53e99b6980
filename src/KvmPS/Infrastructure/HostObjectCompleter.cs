using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KvmPS.Engine;
using KvmPS.Engine.Domains;

namespace KvmPS.Commands;

/// <summary>Completion of names of objects on the host the command line points at (its -Uri, else the session default).</summary>
public abstract class HostObjectCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var pattern = WildcardPattern.Get((wordToComplete ?? "").Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        List<string> names;
        try
        {
            KvmSessionState session = KvmSessionState.Current;
            string uri = session.ResolveUri(fakeBoundParameters["Uri"] as string);
            names = Names(session.GetConnection(uri), fakeBoundParameters);
        }
        catch (Exception e) when (e is LibvirtException or InvalidOperationException or KvmConnectionLostException or DllNotFoundException)
        {
            // No host to ask (no runspace, daemon down, no libvirt): nothing to offer.
            return Array.Empty<CompletionResult>();
        }
        return names.Where(n => pattern.IsMatch(n)).Order(StringComparer.OrdinalIgnoreCase)
            .Select(n => new CompletionResult(Quote(n), n, CompletionResultType.ParameterValue, n));
    }

    private protected abstract List<string> Names(LibvirtConnection conn, IDictionary fakeBoundParameters);

    private static string Quote(string name) =>
        name.IndexOfAny(new[] { ' ', '$', '`', '\'', '"', '(', ')', ';', ',', '&', '|', '{', '}', '@', '#' }) >= 0
            ? "'" + name.Replace("'", "''") + "'"
            : name;
}

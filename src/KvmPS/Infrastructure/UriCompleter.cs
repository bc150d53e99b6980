using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace KvmPS.Commands;

/// <summary>Completes -Uri from the session's open connections and the usual local URIs.</summary>
public sealed class UriCompleter : IArgumentCompleter
{
    private static readonly string[] s_common = { "qemu:///system", "qemu:///session", "test:///default" };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var pattern = WildcardPattern.Get((wordToComplete ?? "").Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        IEnumerable<string> open = Enumerable.Empty<string>();
        try
        {
            open = KvmSessionState.Current.Connections.Select(c => c.Uri);
        }
        catch (InvalidOperationException)
        {
            // No runspace on this thread: offer the common URIs only.
        }
        return open.Concat(s_common)
            .Distinct(StringComparer.Ordinal)
            .Where(u => pattern.IsMatch(u))
            .Select(u => new CompletionResult(u, u, CompletionResultType.ParameterValue, u));
    }
}

using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace KvmPS.Commands;

/// <summary>
/// Completes nothing, on purpose: for parameters whose value is the user's own text (a new name,
/// an address, a cpuset, a description). Without a completer PowerShell would offer the file
/// names of the current directory, which only mislead. An empty list (not null) stops that.
/// </summary>
public sealed class FreeTextCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) => Array.Empty<CompletionResult>();
}

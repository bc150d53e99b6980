using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KvmPS.Engine;
using KvmPS.Engine.HostChecks;

namespace KvmPS.Commands;

/// <summary>Completes host check names for -Check.</summary>
public sealed class HostCheckNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var pattern = WildcardPattern.Get((wordToComplete ?? "").Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        return HostCheckNames.All
            .Where(n => pattern.IsMatch(n))
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
    }
}

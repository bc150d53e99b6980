using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KvmPS.Engine;
using KvmPS.Engine.Domains;

namespace KvmPS.Commands;

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

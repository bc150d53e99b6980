using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KvmPS.Engine;
using KvmPS.Engine.HostChecks;

namespace KvmPS.Commands;

/// <summary>What Test-KvmHost and Repair-KvmHost share: the context they check and repair.</summary>
internal static class HostCheckSupport
{
    public static HostCheckContext NewContext(PSCmdlet cmdlet, string uri, Func<LibvirtConnection> connect)
    {
        var fs = HostFileSystem.FromEnvironment();
        if (!fs.IsLive)
        {
            cmdlet.WriteVerbose($"Reading the host from {fs.Root} ({HostFileSystem.RootVariable}) instead of /.");
        }
        return new HostCheckContext(fs, uri, () =>
        {
            try
            {
                return connect();
            }
            catch (KvmConnectionLostException e)
            {
                // A dead daemon is a finding of the LibvirtDaemon check, not an error.
                throw e.Libvirt;
            }
        });
    }
}

/// <summary>
/// Accepts only names of host checks (any case), from the engine's one list, so the cmdlets and
/// the engine cannot disagree about which checks exist.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateHostCheckNameAttribute : ValidateEnumeratedArgumentsAttribute
{
    protected override void ValidateElement(object element)
    {
        string name = element?.ToString() ?? "";
        if (HostCheckNames.Canonical(name) is null)
        {
            throw new ValidationMetadataException($"'{name}' is not a host check. The checks are: {string.Join(", ", HostCheckNames.All)}.");
        }
    }
}

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

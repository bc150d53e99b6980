using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KvmPS.Engine;
using KvmPS.Engine.HostChecks;

namespace KvmPS.Commands;

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

using System.Management.Automation;
using KvmPS.Engine;

namespace KvmPS.Commands;

/// <summary>
/// Writes each MAC address given in a form the module accepts (52:54:00:AA:BB:CC,
/// 52-54-00-aa-bb-cc, 525400aabbcc) in libvirt's lower-case colon form before the cmdlet sees it.
/// Text that is no MAC address (a wildcard filter, a typo) passes unchanged, so that the cmdlet's
/// own check reports it as InvalidArgument.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class MacAddressArgumentAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        object? o = inputData is PSObject p ? p.BaseObject : inputData;
        return o switch
        {
            string s => MacAddressText.Normalize(s) ?? s,
            object[] or string[] => ((Array)o).Cast<object?>()
                .Select(x => (x is PSObject px ? px.BaseObject : x) is string s ? MacAddressText.Normalize(s) ?? s : x?.ToString())
                .ToArray(),
            _ => inputData,
        };
    }
}

using System.Management.Automation;

namespace KvmPS.Commands;

/// <summary>
/// Lets -State take Hyper-V's name for a stopped VM: "Off" is read as ShutOff. Every other value is
/// left to PowerShell's own enum conversion (names in any case, numbers).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class VMStateArgumentAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        object? o = inputData is PSObject p ? p.BaseObject : inputData;
        return o switch
        {
            string s => Map(s),
            object[] a => a.Select(x => (x is PSObject px ? px.BaseObject : x) is string s ? Map(s) : x).ToArray(),
            _ => inputData,
        };
    }

    private static object Map(string s) => string.Equals(s.Trim(), "Off", StringComparison.OrdinalIgnoreCase) ? KvmVMState.ShutOff : s;
}

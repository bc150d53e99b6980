using System.Management.Automation;
using KvmPS.Engine.Tuning;

namespace KvmPS.Commands;

/// <summary>
/// Lets -Baseline take the CPU element as text too (virsh cpu-baseline's output, a baseline's Xml
/// kept in a file): text that starts with '&lt;' becomes a KvmCpuBaseline, a bad one a binding
/// error that says why. Other input (a KvmCpuBaseline, a VM name offered by the pipeline) passes
/// unchanged.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class CpuBaselineArgumentAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        object? o = inputData is PSObject p ? p.BaseObject : inputData;
        if (o is not string s || !s.TrimStart().StartsWith('<'))
        {
            return inputData;
        }
        try
        {
            return CpuBaselineXml.Parse(s, Array.Empty<string>());
        }
        catch (TuningException e)
        {
            throw new ArgumentTransformationMetadataException(e.Message, e);
        }
    }
}

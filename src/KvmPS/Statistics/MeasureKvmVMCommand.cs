using System.Management.Automation;

namespace KvmPS.Commands;

/// <summary>Measures VMs over an interval: two bulk samples give CPU %, disk and network rates.</summary>
[Cmdlet(VerbsDiagnostic.Measure, "KvmVM", DefaultParameterSetName = "Name")]
[OutputType(typeof(KvmVMStatistics))]
public sealed class MeasureKvmVMCommand : KvmStatisticsCmdlet
{
    protected override bool AlwaysMeasure => true;
}

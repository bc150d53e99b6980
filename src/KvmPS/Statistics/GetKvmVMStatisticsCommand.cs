using System.Management.Automation;

namespace KvmPS.Commands;

/// <summary>
/// Gets VM statistics from one bulk call: counters at once, or with -Interval/-Count a stream of
/// samples with rates and CPU %.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KvmVMStatistics", DefaultParameterSetName = "Name")]
[OutputType(typeof(KvmVMStatistics))]
public sealed class GetKvmVMStatisticsCommand : KvmStatisticsCmdlet
{
    protected override bool AlwaysMeasure => false;
}

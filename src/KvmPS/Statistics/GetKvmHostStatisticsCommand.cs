using System.Management.Automation;
using KvmPS.Engine.Statistics;

namespace KvmPS.Commands;

/// <summary>
/// Gets a host's CPU and memory use and free memory per NUMA cell: two samples -Interval seconds
/// apart give the CPU busy share (as Get-Counter does); -Count repeats.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KvmHostStatistics")]
[OutputType(typeof(KvmHostStatistics))]
public sealed class GetKvmHostStatisticsCommand : KvmCmdlet
{
    /// <summary>Seconds between samples.</summary>
    [Parameter]
    [ValidateRange(0.1, 86400)]
    public double Interval { get; set; } = 1;

    /// <summary>How many measurements to return; unlimited when -Interval is given without it.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Count { get; set; } = 1;

    protected override void ProcessRecordCore()
    {
        var conn = GetConnection();
        int rounds = MyInvocation.BoundParameters.ContainsKey(nameof(Count)) ? Count
            : MyInvocation.BoundParameters.ContainsKey(nameof(Interval)) ? int.MaxValue : 1;
        HostStatsSample before = HostStatsSample.Take(conn);
        for (int i = 0; i < rounds; i++)
        {
            if (CancelToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(Interval)))
            {
                throw new PipelineStoppedException();
            }
            HostStatsSample now = HostStatsSample.Take(conn);
            WriteObject(HostStatisticsBuilder.Build(now, before));
            before = now;
        }
    }
}

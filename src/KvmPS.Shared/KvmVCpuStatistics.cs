namespace KvmPS;

/// <summary>One virtual CPU of a VM in a statistics sample.</summary>
public sealed class KvmVCpuStatistics
{
    /// <summary>vCPU number.</summary>
    public int Id { get; internal init; }

    /// <summary>State of the vCPU; null when libvirt did not say.</summary>
    public KvmVCpuState? State { get; internal init; }

    /// <summary>Host CPU time the vCPU used, in nanoseconds.</summary>
    public ulong? TimeNs { get; internal init; }

    /// <summary>Time the vCPU waited for a host CPU (steal), in nanoseconds.</summary>
    public ulong? WaitNs { get; internal init; }

    /// <summary>Share of one host CPU the vCPU used between the two samples, in percent; null for a single sample.</summary>
    public double? CpuPercent { get; internal init; }
}

namespace KvmPS;

/// <summary>
/// A host's CPU and memory use (Get-KvmHostStatistics). CPU times are the host's counters in
/// nanoseconds; CpuPercent is the busy share of all host CPUs between two samples. Values the
/// driver does not report are null.
/// </summary>
public sealed class KvmHostStatistics
{
    /// <summary>Connection URI of the host.</summary>
    public string Uri { get; internal init; } = "";

    /// <summary>When the (second) sample was taken, in UTC.</summary>
    public DateTime Timestamp { get; internal init; }

    /// <summary>Seconds between the two samples CpuPercent comes from; null for a single sample.</summary>
    public double? IntervalSeconds { get; internal init; }

    /// <summary>Logical CPUs of the host.</summary>
    public int CpuCount { get; internal init; }

    /// <summary>Time all CPUs spent in user mode, in nanoseconds.</summary>
    public ulong? CpuUserNs { get; internal init; }

    /// <summary>Time all CPUs spent in kernel mode, in nanoseconds.</summary>
    public ulong? CpuKernelNs { get; internal init; }

    /// <summary>Time all CPUs were idle, in nanoseconds.</summary>
    public ulong? CpuIdleNs { get; internal init; }

    /// <summary>Time all CPUs waited for I/O, in nanoseconds.</summary>
    public ulong? CpuIowaitNs { get; internal init; }

    /// <summary>Busy share of all host CPUs between the two samples, in percent (idle and I/O wait count as not busy).</summary>
    public double? CpuPercent { get; internal init; }

    /// <summary>Host memory in bytes.</summary>
    public ulong MemoryTotalBytes { get; internal init; }

    /// <summary>Free host memory in bytes.</summary>
    public ulong? MemoryFreeBytes { get; internal init; }

    /// <summary>Memory in buffers, in bytes.</summary>
    public ulong? MemoryBuffersBytes { get; internal init; }

    /// <summary>Memory in the page cache, in bytes.</summary>
    public ulong? MemoryCachedBytes { get; internal init; }

    /// <summary>Share of host memory in use (not free, buffers or cache), in percent.</summary>
    public double? MemoryUsedPercent { get; internal init; }

    /// <summary>Free memory per NUMA cell.</summary>
    public KvmHostCellStatistics[] Cells { get; internal init; } = Array.Empty<KvmHostCellStatistics>();
}

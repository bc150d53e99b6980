namespace KvmPS;

/// <summary>One disk of a VM in a statistics sample: counters since the VM started, rates between two samples.</summary>
public sealed class KvmDiskStatistics
{
    /// <summary>Target name of the disk in the guest (vda, sda, ...).</summary>
    public string Name { get; internal init; } = "";

    /// <summary>Source of the disk on the host (file or block device), when it has one.</summary>
    public string? Path { get; internal init; }

    /// <summary>Bytes read.</summary>
    public ulong ReadBytes { get; internal init; }

    /// <summary>Bytes written.</summary>
    public ulong WriteBytes { get; internal init; }

    /// <summary>Read requests.</summary>
    public ulong ReadOps { get; internal init; }

    /// <summary>Write requests.</summary>
    public ulong WriteOps { get; internal init; }

    /// <summary>Flush requests.</summary>
    public ulong FlushOps { get; internal init; }

    /// <summary>Bytes read per second between the two samples; null for a single sample.</summary>
    public double? ReadBytesPerSec { get; internal init; }

    /// <summary>Bytes written per second between the two samples; null for a single sample.</summary>
    public double? WriteBytesPerSec { get; internal init; }

    /// <summary>Read requests per second; null for a single sample.</summary>
    public double? ReadOpsPerSec { get; internal init; }

    /// <summary>Write requests per second; null for a single sample.</summary>
    public double? WriteOpsPerSec { get; internal init; }

    /// <summary>Size of the disk as the guest sees it, in bytes.</summary>
    public ulong? CapacityBytes { get; internal init; }

    /// <summary>Host bytes the disk's image occupies (its allocation).</summary>
    public ulong? AllocationBytes { get; internal init; }
}

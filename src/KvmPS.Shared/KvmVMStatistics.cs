namespace KvmPS;

/// <summary>
/// A VM's statistics at one moment (Get-KvmVMStatistics, Measure-KvmVM): the headline numbers as
/// flat properties (for Format-Table, Where-Object and Export-Csv), the details per disk, adapter
/// and vCPU. Counters run since the VM started; rates and CPU % come from two samples and are null
/// for a single one. Values libvirt did not report (a VM that is not running) are null.
/// </summary>
public sealed class KvmVMStatistics
{
    /// <summary>Name of the VM.</summary>
    public string VMName { get; internal init; } = "";

    /// <summary>UUID of the VM.</summary>
    public Guid Uuid { get; internal init; }

    /// <summary>Connection URI of the VM's host.</summary>
    public string Uri { get; internal init; } = "";

    /// <summary>When the (second) sample was taken, in UTC.</summary>
    public DateTime Timestamp { get; internal init; }

    /// <summary>Seconds between the two samples the rates come from; null for a single sample.</summary>
    public double? IntervalSeconds { get; internal init; }

    /// <summary>State of the VM.</summary>
    public KvmVMState State { get; internal init; }

    /// <summary>vCPUs online.</summary>
    public int? VCpuCount { get; internal init; }

    /// <summary>Host CPU time the VM used, in nanoseconds (all vCPUs and emulator threads).</summary>
    public ulong? CpuTimeNs { get; internal init; }

    /// <summary>Of that, user time in nanoseconds.</summary>
    public ulong? CpuUserTimeNs { get; internal init; }

    /// <summary>Of that, kernel time in nanoseconds.</summary>
    public ulong? CpuSystemTimeNs { get; internal init; }

    /// <summary>CPU use between the two samples as a share of the VM's vCPUs: 100 means every vCPU was busy all the time.</summary>
    public double? CpuPercent { get; internal init; }

    /// <summary>Memory the guest has now (balloon current), in bytes.</summary>
    public ulong? MemoryBytes { get; internal init; }

    /// <summary>Memory the balloon may give the guest at most, in bytes.</summary>
    public ulong? MemoryMaximumBytes { get; internal init; }

    /// <summary>Memory the guest OS sees as its total (from the balloon driver), in bytes.</summary>
    public ulong? MemoryAvailableBytes { get; internal init; }

    /// <summary>Memory the guest leaves completely unused (from the balloon driver), in bytes.</summary>
    public ulong? MemoryUnusedBytes { get; internal init; }

    /// <summary>Memory the guest could use without swapping (from the balloon driver), in bytes.</summary>
    public ulong? MemoryUsableBytes { get; internal init; }

    /// <summary>Resident set size of the VM's process on the host, in bytes.</summary>
    public ulong? MemoryRssBytes { get; internal init; }

    /// <summary>Bytes read from all disks.</summary>
    public ulong? DiskReadBytes { get; internal init; }

    /// <summary>Bytes written to all disks.</summary>
    public ulong? DiskWriteBytes { get; internal init; }

    /// <summary>Read requests of all disks.</summary>
    public ulong? DiskReadOps { get; internal init; }

    /// <summary>Write requests of all disks.</summary>
    public ulong? DiskWriteOps { get; internal init; }

    /// <summary>Bytes read per second, all disks.</summary>
    public double? DiskReadBytesPerSec { get; internal init; }

    /// <summary>Bytes written per second, all disks.</summary>
    public double? DiskWriteBytesPerSec { get; internal init; }

    /// <summary>Read requests per second, all disks.</summary>
    public double? DiskReadOpsPerSec { get; internal init; }

    /// <summary>Write requests per second, all disks.</summary>
    public double? DiskWriteOpsPerSec { get; internal init; }

    /// <summary>Bytes the guest received on all adapters.</summary>
    public ulong? NetworkRxBytes { get; internal init; }

    /// <summary>Bytes the guest sent on all adapters.</summary>
    public ulong? NetworkTxBytes { get; internal init; }

    /// <summary>Packets the guest received on all adapters.</summary>
    public ulong? NetworkRxPackets { get; internal init; }

    /// <summary>Packets the guest sent on all adapters.</summary>
    public ulong? NetworkTxPackets { get; internal init; }

    /// <summary>Bytes received per second, all adapters.</summary>
    public double? NetworkRxBytesPerSec { get; internal init; }

    /// <summary>Bytes sent per second, all adapters.</summary>
    public double? NetworkTxBytesPerSec { get; internal init; }

    /// <summary>Each disk.</summary>
    public KvmDiskStatistics[] Disks { get; internal init; } = Array.Empty<KvmDiskStatistics>();

    /// <summary>Each network adapter.</summary>
    public KvmNetworkAdapterStatistics[] NetworkAdapters { get; internal init; } = Array.Empty<KvmNetworkAdapterStatistics>();

    /// <summary>Each vCPU.</summary>
    public KvmVCpuStatistics[] VCpus { get; internal init; } = Array.Empty<KvmVCpuStatistics>();
}

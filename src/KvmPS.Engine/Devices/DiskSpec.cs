namespace KvmPS.Engine.Devices;

/// <summary>A disk to add to a VM.</summary>
public sealed class DiskSpec
{
    public string Path { get; init; } = "";
    public string Format { get; init; } = "raw";
    public KvmDiskBus Bus { get; init; } = KvmDiskBus.Virtio;
    public string Target { get; init; } = "";
    public KvmDiskCache? Cache { get; init; }
    public KvmDiskIO? IO { get; init; }
    public bool Discard { get; init; }
    public bool ReadOnly { get; init; }
    /// <summary>A block device (source dev=) rather than a file.</summary>
    public bool IsBlockDevice { get; init; }
    /// <summary>For a SCSI disk: the virtio-scsi controller index and unit.</summary>
    public (int Controller, int Unit)? DriveAddress { get; init; }
}

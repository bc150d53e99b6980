namespace KvmPS.Engine.Domains;

/// <summary>
/// One disk of a -Disk spec, as virt-install's --disk spells it: a new volume (size, pool), a new
/// or existing file (path, size), its bus, cache, I/O and discard modes, format and backing image.
/// Null members are not given.
/// </summary>
public sealed record VmDiskRequest
{
    /// <summary>Size of a disk to create; null for an existing one.</summary>
    public ulong? SizeBytes { get; init; }
    public string? Path { get; init; }
    public string? Pool { get; init; }
    /// <summary>virtio, sata, scsi, ide or usb.</summary>
    public string? Bus { get; init; }
    /// <summary>none, writethrough, writeback, directsync, unsafe or default.</summary>
    public string? Cache { get; init; }
    /// <summary>native, threads or io_uring.</summary>
    public string? IO { get; init; }
    /// <summary>unmap or ignore.</summary>
    public string? Discard { get; init; }
    /// <summary>qcow2 or raw.</summary>
    public string? Format { get; init; }
    /// <summary>The image a new qcow2 disk is an overlay of (virt-install's backing_store).</summary>
    public string? BackingStore { get; init; }
    /// <summary>disk (the default) or cdrom.</summary>
    public string Device { get; init; } = "disk";
    public bool ReadOnly { get; init; }
}

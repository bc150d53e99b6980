namespace KvmPS;

/// <summary>A disk or CD-ROM of a VM.</summary>
public sealed class KvmDisk
{
    /// <summary>Name of the VM.</summary>
    public string VMName { get; internal init; } = "";
    /// <summary>disk, cdrom or floppy.</summary>
    public string Device { get; internal init; } = "disk";
    /// <summary>Guest target name (vda, sda, ...).</summary>
    public string Target { get; internal init; } = "";
    /// <summary>Bus (virtio, sata, scsi, ide, usb).</summary>
    public string Bus { get; internal init; } = "";
    /// <summary>Source file, block device or volume path.</summary>
    public string? Path { get; internal init; }
    /// <summary>Image format (qcow2, raw, ...).</summary>
    public string? Format { get; internal init; }
    /// <summary>Cache mode when set.</summary>
    public string? Cache { get; internal init; }
    /// <summary>I/O mode when set.</summary>
    public string? IO { get; internal init; }
    /// <summary>Read-only.</summary>
    public bool ReadOnly { get; internal init; }
    /// <summary>Discard mode (unmap passes the guest's TRIM to the image) when set.</summary>
    public string? Discard { get; internal init; }
    /// <summary>Whether KvmPS created this storage for the VM (Remove-KvmVM -DeleteStorage removes only these).</summary>
    public bool OwnedByVM { get; internal init; }
    /// <summary>The connection URI.</summary>
    public string Uri { get; internal init; } = "";
}

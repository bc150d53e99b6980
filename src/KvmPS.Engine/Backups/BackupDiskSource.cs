namespace KvmPS.Engine.Backups;

/// <summary>
/// A disk of the VM as a backup sees it: target, device kind, source path and format, the qcow2
/// version when known (3 holds persistent dirty bitmaps, 2 does not) and the bytes it takes.
/// </summary>
public sealed record BackupDiskSource(string Target, string Device, string? Path, string? Format, int? Qcow2Version, ulong AllocationBytes, bool ReadOnly)
{
    /// <summary>Whether libvirt backs this disk up: a writable disk (not a CD-ROM or floppy) with a source.</summary>
    public bool IsBackedUp => Device == "disk" && !ReadOnly && Path is not null;

    /// <summary>Whether it can hold the dirty bitmap of a checkpoint, which incremental backups need.</summary>
    public bool CanHoldBitmap => Format == "qcow2" && Qcow2Version is null or >= 3;
}

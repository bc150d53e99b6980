namespace KvmPS;

/// <summary>One disk file of a backup (Backup-KvmVM): which disk, the file, its sizes and checksum.</summary>
public sealed class KvmBackupDisk
{
    /// <summary>The disk's target in the VM (vda, sdb, ...).</summary>
    public string Target { get; internal init; } = "";

    /// <summary>Full path of the backup file.</summary>
    public string Path { get; internal init; } = "";

    /// <summary>The disk's source when it was backed up.</summary>
    public string? SourcePath { get; internal init; }

    /// <summary>Size the guest sees, in bytes.</summary>
    public ulong VirtualSizeBytes { get; internal init; }

    /// <summary>Length of the backup file in bytes (an incremental one holds only the changed clusters).</summary>
    public ulong FileSizeBytes { get; internal init; }

    /// <summary>SHA-256 of the backup file (lower-case hex), as the manifest records it.</summary>
    public string Sha256 { get; internal init; } = "";

    /// <summary>The target.</summary>
    public override string ToString() => Target;
}

namespace KvmPS.Engine.Backups;

/// <summary>One disk of one backup in the manifest: the file written, where it came from, its size and checksum.</summary>
public sealed class BackupManifestDisk
{
    /// <summary>The disk's target in the VM (vda, sdb, ...): what ties the files of a chain together.</summary>
    public string Target { get; set; } = "";

    /// <summary>File name in the backup directory.</summary>
    public string File { get; set; } = "";

    /// <summary>Format of the backup file (always qcow2: an incremental one holds only changed clusters).</summary>
    public string Format { get; set; } = "qcow2";

    /// <summary>The disk's source on the VM's host when it was backed up.</summary>
    public string? SourcePath { get; set; }

    /// <summary>Format of the source disk (qcow2, raw).</summary>
    public string? SourceFormat { get; set; }

    /// <summary>Size the guest sees.</summary>
    public ulong VirtualSizeBytes { get; set; }

    /// <summary>Length of the backup file.</summary>
    public ulong FileSizeBytes { get; set; }

    /// <summary>SHA-256 of the backup file, lower-case hex.</summary>
    public string Sha256 { get; set; } = "";
}

namespace KvmPS;

/// <summary>One disk image of a whole-VM export: which disk, the file, its format, sizes and checksum.</summary>
public sealed class KvmVMExportDisk
{
    /// <summary>The disk's target in the VM (vda, sdb, ...).</summary>
    public string Target { get; internal init; } = "";

    /// <summary>Full path of the image file in the export.</summary>
    public string Path { get; internal init; } = "";

    /// <summary>Image format (qcow2, raw).</summary>
    public string Format { get; internal init; } = "";

    /// <summary>The disk's source on the exporting host.</summary>
    public string? SourcePath { get; internal init; }

    /// <summary>Size the guest sees, in bytes.</summary>
    public ulong VirtualSizeBytes { get; internal init; }

    /// <summary>Length of the image file in bytes.</summary>
    public ulong FileSizeBytes { get; internal init; }

    /// <summary>SHA-256 of the file (lower-case hex), as the manifest records it.</summary>
    public string Sha256 { get; internal init; } = "";

    /// <summary>The target.</summary>
    public override string ToString() => Target;
}

namespace KvmPS.Engine.Domains;

/// <summary>One file of a VM export in its manifest: a disk image (by its target) or the UEFI variable store.</summary>
public sealed class VmExportFile
{
    /// <summary>The disk's target in the VM (vda, sdb, ...); "nvram" for the UEFI variable store.</summary>
    public string Target { get; set; } = "";

    /// <summary>File name in the export directory.</summary>
    public string File { get; set; } = "";

    /// <summary>Format of the image (qcow2, raw), as the domain's disk driver names it.</summary>
    public string Format { get; set; } = "raw";

    /// <summary>Size the guest sees.</summary>
    public ulong VirtualSizeBytes { get; set; }

    /// <summary>Length of the file.</summary>
    public ulong FileSizeBytes { get; set; }

    /// <summary>SHA-256 of the file, lower-case hex.</summary>
    public string Sha256 { get; set; } = "";

    /// <summary>Where the file came from on the exporting host.</summary>
    public string? SourcePath { get; set; }

    /// <summary>The storage pool that held it there.</summary>
    public string? SourcePool { get; set; }
}

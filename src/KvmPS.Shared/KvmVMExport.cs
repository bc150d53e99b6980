namespace KvmPS;

/// <summary>A whole-VM export (Export-KvmVM -IncludeStorage): the directory, and the definition, disks and UEFI variables in it.</summary>
public sealed class KvmVMExport
{
    /// <summary>Name of the exported VM.</summary>
    public string VMName { get; internal init; } = "";

    /// <summary>UUID of the exported VM.</summary>
    public Guid VMUuid { get; internal init; }

    /// <summary>The export directory (holds manifest.json); Import-KvmVM -Path takes it.</summary>
    public string Path { get; internal init; } = "";

    /// <summary>The domain XML file in the directory.</summary>
    public string DefinitionPath { get; internal init; } = "";

    /// <summary>The disk images.</summary>
    public KvmVMExportDisk[] Disks { get; internal init; } = Array.Empty<KvmVMExportDisk>();

    /// <summary>The UEFI variable store's file, or null when the VM has none or it could not be read.</summary>
    public string? NvramPath { get; internal init; }

    /// <summary>Bytes of all the files together.</summary>
    public ulong SizeBytes { get; internal init; }

    /// <summary>The VM's state when it was exported.</summary>
    public KvmVMState VMState { get; internal init; }

    /// <summary>When the export was made (UTC).</summary>
    public DateTime CreationTime { get; internal init; }

    /// <summary>The host the VM was exported from.</summary>
    public string Uri { get; internal init; } = "";

    /// <summary>The directory.</summary>
    public override string ToString() => Path;
}

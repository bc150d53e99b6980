namespace KvmPS.Engine.Storage;

/// <summary>A volume as libvirt describes it (virStorageVolGetXMLDesc), or a volume to create.</summary>
public sealed record VolumeDefinition
{
    public string Name { get; init; } = "";

    /// <summary>Volume type: file, block, dir, network, ... (read back only).</summary>
    public string? Type { get; init; }

    public string? Key { get; init; }

    public string? Path { get; init; }

    /// <summary>Image format (qcow2, raw, ...); null for volumes without one, and on creation to let the pool choose.</summary>
    public string? Format { get; init; }

    public ulong CapacityBytes { get; init; }

    /// <summary>Bytes allocated on the host; 0 on creation asks for a thin (sparse) volume.</summary>
    public ulong AllocationBytes { get; init; }

    /// <summary>Length of the volume's file on the host (libvirt's physical size; a qcow2 file's own length), when libvirt reports it.</summary>
    public ulong? PhysicalBytes { get; init; }

    public string? BackingPath { get; init; }

    public string? BackingFormat { get; init; }

    /// <summary>Permissions of a volume to create (target/permissions/mode); null leaves the pool's default. Not read back.</summary>
    public UnixFileMode? Mode { get; init; }
}

namespace KvmPS;

/// <summary>A storage volume in a pool: a disk image file, logical volume, LUN, ... (Get-KvmVolume).</summary>
public sealed class KvmVolume
{
    /// <summary>Volume name, unique within its pool.</summary>
    public string Name { get; internal init; } = "";

    /// <summary>Name of the pool that holds the volume.</summary>
    public string Pool { get; internal init; } = "";

    /// <summary>Path of the volume on the host (what a VM's disk points at).</summary>
    public string Path { get; internal init; } = "";

    /// <summary>Image format as libvirt reports it (qcow2, raw, iso, ...), or null when the pool has none (block devices).</summary>
    public string? Format { get; internal init; }

    /// <summary>Kind of volume as libvirt reports it (file, block, dir, network, netdir, ploop).</summary>
    public string? Type { get; internal init; }

    /// <summary>Virtual size in bytes: what a guest sees.</summary>
    public ulong CapacityBytes { get; internal init; }

    /// <summary>Bytes the volume takes on the host.</summary>
    public ulong AllocationBytes { get; internal init; }

    /// <summary>The image this volume is an overlay on, or null.</summary>
    public string? BackingPath { get; internal init; }

    /// <summary>Format of the backing image, or null.</summary>
    public string? BackingFormat { get; internal init; }

    /// <summary>The connection URI this volume was read from.</summary>
    public string Uri { get; internal init; } = "";

    /// <summary>The volume name.</summary>
    public override string ToString() => Name;

    /// <summary>Capacity (virtual size) with a binary unit; sorts by bytes.</summary>
    public KvmSize Capacity => new(CapacityBytes);

    /// <summary>Allocated space with a binary unit; sorts by bytes.</summary>
    public KvmSize Allocation => new(AllocationBytes);
}

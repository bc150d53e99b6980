namespace KvmPS.Engine.Domains;

/// <summary>A disk to attach to a new VM.</summary>
public sealed class VmDiskSpec
{
    public string Path { get; init; } = "";
    public string Format { get; init; } = "qcow2";
    /// <summary>disk or cdrom.</summary>
    public string Device { get; init; } = "disk";
    /// <summary>Recorded in the domain metadata as created for this VM.</summary>
    public bool Owned { get; init; }
    public bool ReadOnly { get; init; }
    /// <summary>Bus, cache, I/O and discard modes a -Disk spec asked for; null takes the defaults.</summary>
    public VmDiskOptions? Options { get; init; }
}

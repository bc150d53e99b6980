namespace KvmPS.Engine.Domains;

/// <summary>How one disk is attached, where a -Disk spec says so; null members take the defaults.</summary>
public sealed record VmDiskOptions
{
    public string? Bus { get; init; }
    public string? Cache { get; init; }
    public string? IO { get; init; }
    public string? Discard { get; init; }
    public string Device { get; init; } = "disk";
    public bool ReadOnly { get; init; }
    /// <summary>The backing image of a new overlay disk, as a host path.</summary>
    public string? BackingStore { get; init; }
}

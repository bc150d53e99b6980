using System.Xml;
using System.Xml.Linq;

namespace KvmPS.Engine.Domains;

/// <summary>One operating system from the libosinfo database.</summary>
public sealed class OsInfoEntry
{
    public string Id { get; init; } = "";
    public string[] ShortIds { get; init; } = Array.Empty<string>();
    public string Name { get; init; } = "";
    public string? Version { get; init; }
    public string? Family { get; init; }
    public string? Distro { get; init; }
    public string? ReleaseDate { get; init; }
    public string? EolDate { get; init; }
    public string[] DerivesFrom { get; init; } = Array.Empty<string>();
    public string[] Clones { get; init; } = Array.Empty<string>();
    public string[] Upgrades { get; init; } = Array.Empty<string>();

    /// <summary>Firmware the entry itself lists, keyed "arch/type" (x86_64/efi), with false for supported="false".</summary>
    public Dictionary<string, bool> OwnFirmware { get; init; } = new();

    /// <summary>Device ids the entry itself lists, with false for an explicit supported="false".</summary>
    public Dictionary<string, bool> OwnDevices { get; init; } = new();

    /// <summary>Kernel and initrd paths of the entry's install media and trees (relative to the medium's root).</summary>
    public OsInfoBootFiles[] BootFiles { get; init; } = Array.Empty<OsInfoBootFiles>();

    public string ShortId => ShortIds.Length > 0 ? ShortIds[0] : Id;
}

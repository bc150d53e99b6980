using System.Xml.Linq;
using KvmPS.Engine.Devices;

namespace KvmPS.Engine.Snapshots;

/// <summary>A disk of a VM as the snapshot planner sees it.</summary>
public sealed record SnapshotVmDisk(string Target, string Device, string? Format, string? File, string SourceType, bool ReadOnly, bool Shareable)
{
    /// <summary>Whether a snapshot captures the disk at all: a writable, unshared disk (no CD-ROM).</summary>
    public bool Included => Device == "disk" && !ReadOnly && !Shareable;

    /// <summary>The disks of a definition.</summary>
    public static List<SnapshotVmDisk> Of(XElement domain) => DeviceXml.Disks(domain).Select(d =>
    {
        XElement? src = d.Element("source");
        return new SnapshotVmDisk(
            (string?)d.Element("target")?.Attribute("dev") ?? "",
            (string?)d.Attribute("device") ?? "disk",
            (string?)d.Element("driver")?.Attribute("type"),
            (string?)src?.Attribute("file") ?? (string?)src?.Attribute("dev"),
            (string?)d.Attribute("type") ?? "file",
            d.Element("readonly") is not null,
            d.Element("shareable") is not null);
    }).ToList();
}

using System.Xml.Linq;
using KvmPS.Engine.Native;

namespace KvmPS.Engine.Snapshots;

/// <summary>
/// A snapshot the planner chose: internal or external, with or without the guest's memory, the
/// files an external one creates, and why, in words for -Verbose and the snapshot object.
/// </summary>
public sealed record SnapshotPlan(SnapshotRequest Request, KvmSnapshotKind Kind, bool WithMemory, string? MemoryFile,
    IReadOnlyList<SnapshotDiskPlan> Disks, string Reason)
{
    /// <summary>The files the snapshot makes (overlays and the memory file): KvmPS owns them.</summary>
    public IEnumerable<string> CreatedFiles =>
        Disks.Select(d => d.Overlay).Append(MemoryFile).OfType<string>();

    /// <summary>Whether libvirt is asked for a disk-only snapshot (external, without memory).</summary>
    public bool DiskOnly => Kind == KvmSnapshotKind.External && !WithMemory;

    internal uint Flags =>
        (DiskOnly ? Libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY : 0)
        | (Request.Quiesce ? Libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE : 0)
        | (Kind == KvmSnapshotKind.External ? Libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC : 0);

    /// <summary>The domainsnapshot XML for virDomainSnapshotCreateXML, built element by element.</summary>
    public string ToXml()
    {
        string memory = !WithMemory ? "no" : Kind == KvmSnapshotKind.Internal ? "internal" : "external";
        var root = new XElement("domainsnapshot",
            new XElement("name", Request.Name),
            string.IsNullOrEmpty(Request.Description) ? null : new XElement("description", Request.Description),
            new XElement("memory", new XAttribute("snapshot", memory), MemoryFile is null ? null : new XAttribute("file", MemoryFile)),
            new XElement("disks", Disks.Select(d => new XElement("disk",
                new XAttribute("name", d.Target),
                new XAttribute("snapshot", d.Kind switch { KvmSnapshotKind.Internal => "internal", KvmSnapshotKind.External => "external", _ => "no" }),
                d.Overlay is null ? null : new XElement("driver", new XAttribute("type", "qcow2")),
                d.Overlay is null ? null : new XElement("source", new XAttribute("file", d.Overlay))))));
        return root.ToString(SaveOptions.DisableFormatting);
    }
}

using System.Xml.Linq;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Engine.Snapshots;

/// <summary>
/// Removes snapshots. An internal one, and an external one of a VM that is not running, go through
/// libvirt's delete (libvirt 9.0 merges a stopped VM's external overlays itself). An external one
/// of a running VM is merged back here with block commits, one disk at a time, so the merge shows
/// progress and can be cancelled: the overlay goes into the image under it (an active commit and
/// a pivot when it is the disk's active layer), child snapshots are told their new base, then the
/// metadata goes and the overlay file KvmPS made is deleted.
/// </summary>
public static class SnapshotRemover
{
    /// <summary>The snapshots to remove, in order: without <paramref name="includeChildren"/> just the one; with it, its descendants first (leaves before parents).</summary>
    public static List<string> Order(IReadOnlyList<KvmSnapshot> all, string name, bool includeChildren)
    {
        var order = new List<string>();
        var byName = all.ToDictionary(s => s.Name, StringComparer.Ordinal);
        void Visit(string n)
        {
            if (includeChildren && byName.TryGetValue(n, out KvmSnapshot? s))
            {
                foreach (string c in s.Children)
                {
                    Visit(c);
                }
            }
            order.Add(n);
        }
        Visit(name);
        return order;
    }

    /// <summary>Removes one snapshot. <paramref name="progress"/> gets the disk, bytes done and the job's end of each block commit.</summary>
    public static void RemoveOne(LibvirtConnection conn, DomainHandle h, string name, ulong bandwidth, Action<string, ulong, ulong> progress, Action<string> verbose, CancellationToken cancel)
    {
        string xml = SnapshotService.GetXml(h, name);
        XElement def = ReadDefinition(h);
        var all = SnapshotService.ReadAll(conn, h, def);
        KvmSnapshot s = all.Single(x => x.Name == name);
        var external = s.Disks.Where(d => d.Kind == KvmSnapshotKind.External && d.File is not null).ToList();
        if (external.Count == 0 || !DomainService.IsActive(h))
        {
            verbose($"Deleting snapshot '{name}' of VM '{s.VMName}' (libvirt's delete{(external.Count > 0 ? ", which merges the stopped VM's overlays" : "")}).");
            SnapshotService.Delete(h, name, metadataOnly: false);
        }
        else
        {
            XElement frozen = SnapshotXml.DomainOf(xml)!;
            XElement live = SafeXml.Parse(LibvirtConnection.GetXml(h));
            foreach (KvmSnapshotDisk d in external)
            {
                string? bas = (string?)DeviceXml.FindDisk(frozen, d.Target)?.Element("source")?.Attribute("file");
                if (bas is null)
                {
                    throw new InvalidOperationException($"Snapshot '{name}' does not say which image disk {d.Target} was on; it was left as it is.");
                }
                string? activeLayer = (string?)DeviceXml.FindDisk(live, d.Target)?.Element("source")?.Attribute("file");
                bool active = activeLayer == d.File;
                verbose($"Merging '{d.File}' into '{bas}' ({(active ? "active commit, then pivot" : "commit")}) for disk {d.Target}.");
                BlockCommit.Run(h, d.Target, d.File!, bas, active, bandwidth, (cur, end) => progress(d.Target, cur, end), cancel);
                foreach (string child in s.Children)
                {
                    string cx = SnapshotService.GetXml(h, child);
                    SnapshotService.Redefine(h, WithBase(cx, d.Target, d.File!, bas), SnapshotService.IsCurrent(h, child));
                }
            }
            SnapshotService.Delete(h, name, metadataOnly: true);
            bool local = conn.IsLocal;
            foreach (string file in external.Where(d => d.OwnedByVM).Select(d => d.File!).Append(s.MemoryFile).OfType<string>().Distinct())
            {
                verbose(OwnedStorage.Delete(conn, file, local));
            }
        }
        Forget(conn, h, name);
    }

    /// <summary>Drops KvmPS's record of a snapshot that is gone, deleting any file it made that is still there and no disk uses.</summary>
    public static void Forget(LibvirtConnection conn, DomainHandle h, string name)
    {
        XElement def = ReadDefinition(h);
        var files = SnapshotRecord.Files(def, name);
        var sources = Storage.StorageUsage.SourcePaths(def).Concat(Storage.StorageUsage.SourcePaths(SafeXml.Parse(LibvirtConnection.GetXml(h)))).ToHashSet();
        bool local = conn.IsLocal;
        foreach (string f in files.Where(f => !sources.Contains(f)))
        {
            OwnedStorage.Delete(conn, f, local);
        }
        if (DomainService.IsPersistent(h) && (SnapshotRecord.Reason(def, name) is not null || files.Count > 0))
        {
            DomainEditor.EditConfig(conn, h, config => SnapshotRecord.Remove(config, name));
        }
    }

    /// <summary>A snapshot's XML whose saved definition has disk <paramref name="target"/> on <paramref name="bas"/> instead of the merged <paramref name="top"/>.</summary>
    public static string WithBase(string xml, string target, string top, string bas)
    {
        XElement s = SafeXml.Parse(xml);
        if (s.Element("domain") is XElement d && DeviceXml.FindDisk(d, target)?.Element("source") is XElement src && (string?)src.Attribute("file") == top)
        {
            src.SetAttributeValue("file", bas);
        }
        return s.ToString(SaveOptions.DisableFormatting);
    }

    private static XElement ReadDefinition(Native.DomainHandle h) =>
        SafeXml.Parse(DomainService.IsPersistent(h) ? DomainService.GetInactiveXml(h) : LibvirtConnection.GetXml(h));
}

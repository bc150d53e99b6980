using System.Runtime.InteropServices;
using System.Xml.Linq;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Engine.Snapshots;

/// <summary>Snapshot calls of a domain, by snapshot name. Every failing call throws LibvirtException.</summary>
public static class SnapshotService
{
    /// <summary>The snapshot names of a VM.</summary>
    public static List<string> Names(DomainHandle h) => Each(h, (s, name) => name);

    /// <summary>
    /// Every snapshot of a VM as public objects, with their tree (parent, children, current) and
    /// what KvmPS recorded about them in <paramref name="definition"/> (reason, owned files).
    /// </summary>
    public static List<KvmSnapshot> ReadAll(LibvirtConnection conn, DomainHandle h, XElement definition)
    {
        var raw = Each(h, (s, name) => (Name: name, Xml: Libvirt.TakeString(Libvirt.virDomainSnapshotGetXMLDesc(s, 0))
            ?? throw LibvirtException.FromLastError("virDomainSnapshotGetXMLDesc"),
            Current: LibvirtException.Check(Libvirt.virDomainSnapshotIsCurrent(s, 0), "virDomainSnapshotIsCurrent") == 1));
        var parents = raw.ToDictionary(r => r.Name, r => SnapshotXml.ParentOf(r.Xml), StringComparer.Ordinal);
        string vm = LibvirtConnection.GetName(h);
        Guid uuid = Guid.TryParse((string?)definition.Element("uuid"), out Guid g) ? g : Guid.Empty;
        var owned = SnapshotRecord.AllFiles(definition);
        return raw.Select(r => SnapshotXml.Read(r.Xml, vm, uuid, conn.Uri, r.Current,
            parents.Where(p => p.Value == r.Name).Select(p => p.Key), SnapshotRecord.Reason(definition, r.Name), owned)).ToList();
    }

    /// <summary>The XML of one snapshot (NoDomainSnapshot when there is none of that name).</summary>
    public static string GetXml(DomainHandle h, string name)
    {
        using DomainSnapshotHandle s = Lookup(h, name);
        return Libvirt.TakeString(Libvirt.virDomainSnapshotGetXMLDesc(s, 0)) ?? throw LibvirtException.FromLastError("virDomainSnapshotGetXMLDesc");
    }

    /// <summary>Whether the snapshot is the VM's current one.</summary>
    public static bool IsCurrent(DomainHandle h, string name)
    {
        using DomainSnapshotHandle s = Lookup(h, name);
        return LibvirtException.Check(Libvirt.virDomainSnapshotIsCurrent(s, 0), "virDomainSnapshotIsCurrent") == 1;
    }

    /// <summary>Takes the planned snapshot.</summary>
    public static void Create(DomainHandle h, SnapshotPlan plan)
    {
        IntPtr p = Libvirt.virDomainSnapshotCreateXML(h, plan.ToXml(), plan.Flags);
        if (p == IntPtr.Zero)
        {
            throw LibvirtException.FromLastError("virDomainSnapshotCreateXML");
        }
        Libvirt.virDomainSnapshotFree(p);
    }

    /// <summary>Defines a snapshot again from its XML (a rename, a new description, a new parent); <paramref name="current"/> makes it the current one.</summary>
    public static void Redefine(DomainHandle h, string xml, bool current)
    {
        uint flags = Libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE | (current ? Libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT : 0);
        IntPtr p = Libvirt.virDomainSnapshotCreateXML(h, xml, flags);
        if (p == IntPtr.Zero)
        {
            throw LibvirtException.FromLastError("virDomainSnapshotCreateXML");
        }
        Libvirt.virDomainSnapshotFree(p);
    }

    /// <summary>libvirt's revert (internal snapshots; external ones only from libvirt 9.9 on).</summary>
    public static void Revert(DomainHandle h, string name, bool force)
    {
        using DomainSnapshotHandle s = Lookup(h, name);
        LibvirtException.Check(Libvirt.virDomainRevertToSnapshot(s, force ? Libvirt.VIR_DOMAIN_SNAPSHOT_REVERT_FORCE : 0), "virDomainRevertToSnapshot");
    }

    /// <summary>libvirt's delete of one snapshot (with its data, or only its metadata).</summary>
    public static void Delete(DomainHandle h, string name, bool metadataOnly)
    {
        using DomainSnapshotHandle s = Lookup(h, name);
        LibvirtException.Check(Libvirt.virDomainSnapshotDelete(s, metadataOnly ? Libvirt.VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY : 0), "virDomainSnapshotDelete");
    }

    private static DomainSnapshotHandle Lookup(DomainHandle h, string name)
    {
        IntPtr p = Libvirt.virDomainSnapshotLookupByName(h, name, 0);
        return p == IntPtr.Zero ? throw LibvirtException.FromLastError("virDomainSnapshotLookupByName") : new DomainSnapshotHandle(p);
    }

    private static unsafe List<T> Each<T>(DomainHandle h, Func<DomainSnapshotHandle, string, T> read)
    {
        IntPtr* items;
        int n = LibvirtException.Check(Libvirt.virDomainListAllSnapshots(h, &items, 0), "virDomainListAllSnapshots");
        var handles = LibvirtConnection.TakeArray(items, n, p => new DomainSnapshotHandle(p));
        try
        {
            return handles.Select(s => read(s, Marshal.PtrToStringUTF8(Libvirt.virDomainSnapshotGetName(s))
                ?? throw LibvirtException.FromLastError("virDomainSnapshotGetName"))).ToList();
        }
        finally
        {
            handles.ForEach(s => s.Dispose());
        }
    }
}

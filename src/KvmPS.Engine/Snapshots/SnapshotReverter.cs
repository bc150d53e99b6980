using System.Xml.Linq;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;
using KvmPS.Engine.Storage;

namespace KvmPS.Engine.Snapshots;

/// <summary>
/// Restores snapshots. libvirt reverts internal snapshots itself, and external ones from 9.9 on;
/// 9.0 answers "revert to external snapshot not supported yet". For an external snapshot without
/// children KvmPS then does what a newer libvirt does. Disk-only: the VM (turned off if it runs)
/// gets its disks pointed back at the images the snapshot froze, each with a new empty overlay at
/// the snapshot's overlay path (made by libvirt, as a disk-only snapshot without metadata), and the
/// snapshot becomes the current one again. With memory: <see cref="MemoryRevertPlanner"/> and
/// <see cref="MemoryReverter"/> (new overlays, the guest resumed from the memory file onto them,
/// every step undone on a failure). One with children is refused, with the reason: a child's
/// overlay sits on the file that would be replaced.
/// </summary>
public static class SnapshotReverter
{
    /// <summary>The first libvirt that reverts external snapshots itself.</summary>
    public static readonly Version ExternalRevertSince = new(9, 9, 0);

    public static RevertPlan Plan(LibvirtConnection conn, DomainHandle h, string name)
    {
        string vm = LibvirtConnection.GetName(h);
        string xml = SnapshotService.GetXml(h, name);
        XElement def = SafeXml.Parse(DomainService.IsPersistent(h) ? DomainService.GetInactiveXml(h) : LibvirtConnection.GetXml(h));
        KvmSnapshot s = SnapshotService.ReadAll(conn, h, def).Single(x => x.Name == name);
        bool active = DomainService.IsActive(h);
        bool manual = s.Kind == KvmSnapshotKind.External && conn.GetLibvirtVersion() < ExternalRevertSince;
        if (manual)
        {
            Refuse(conn, vm, s);
        }
        bool stops = active && !s.IncludesMemory;
        if (manual && s.IncludesMemory)
        {
            if (!DomainService.IsPersistent(h))
            {
                throw new VmRequestException("TransientVMMemoryRevert", KvmErrorKind.NotSupported, name,
                    $"VM '{vm}' is transient: KvmPS restores an external snapshot with memory by changing the VM's persistent definition, which a transient VM has not. Define it (Import-KvmVM) first.");
            }
            Guid uuid = Guid.TryParse((string?)def.Element("uuid"), out Guid g) ? g : Guid.Empty;
            bool local = conn.IsLocal;
            MemoryRevertPlan memory = MemoryRevertPlanner.Plan(vm, uuid, xml, ReadSaveImage(conn, vm, s), def, s.Children.Length,
                p => local ? File.Exists(p) : HostVolumes.Find(conn, p) is not null);
            string how = $"Restore snapshot '{name}' (the VM resumes in the state it was in then; the state it has now is lost); "
                + $"libvirt {conn.GetLibvirtVersion()} cannot revert external snapshots, so KvmPS does it in steps: {memory.Method(active)}";
            return new RevertPlan(vm, name, xml, s, manual, false, how, memory);
        }
        string what = s.IncludesMemory
            ? $"Restore snapshot '{name}' (the VM resumes in the state it was in then; the state it has now is lost)"
            : $"Restore snapshot '{name}' (disks as they were then; changes made since are lost){(stops ? "; the running VM is turned off first" : "")}";
        if (manual)
        {
            what += $"; libvirt {conn.GetLibvirtVersion()} cannot revert external snapshots, so KvmPS points the disks back at the frozen images with new overlays";
        }
        return new RevertPlan(vm, name, xml, s, manual, stops, what);
    }

    public static void Apply(LibvirtConnection conn, DomainHandle h, RevertPlan plan, Action<string> verbose)
    {
        if (plan.Memory is not null)
        {
            MemoryReverter.Apply(conn, h, plan.Memory, verbose);
            return;
        }
        if (!plan.ByKvmPS)
        {
            verbose($"Reverting VM '{plan.VMName}' to {plan.Snapshot.Kind.ToString().ToLowerInvariant()} snapshot '{plan.Name}' (libvirt's revert).");
            SnapshotService.Revert(h, plan.Name, force: false);
            return;
        }
        if (DomainService.IsActive(h))
        {
            verbose($"Turning off VM '{plan.VMName}' to restore its disks.");
            DomainService.Destroy(h);
        }
        XElement frozen = SnapshotXml.DomainOf(plan.Xml)!;
        var external = plan.Snapshot.Disks.Where(d => d.Kind == KvmSnapshotKind.External && d.File is not null).ToList();
        DomainEditor.EditConfig(conn, h, config =>
        {
            foreach (KvmSnapshotDisk d in external)
            {
                XElement was = Devices.DeviceXml.FindDisk(frozen, d.Target)!;
                XElement now = Devices.DeviceXml.FindDisk(config, d.Target)
                    ?? throw new InvalidOperationException($"VM '{plan.VMName}' no longer has disk {d.Target}.");
                now.Element("source")?.ReplaceWith(new XElement(was.Element("source")!));
                now.Element("backingStore")?.Remove();
                now.Element("driver")?.SetAttributeValue("type", (string?)was.Element("driver")?.Attribute("type"));
            }
        });
        bool local = conn.IsLocal;
        foreach (KvmSnapshotDisk d in external)
        {
            verbose(OwnedStorage.Delete(conn, d.File!, local));
        }
        var x = new XElement("domainsnapshot", new XElement("memory", new XAttribute("snapshot", "no")),
            new XElement("disks", plan.Snapshot.Disks.Select(d => new XElement("disk", new XAttribute("name", d.Target),
                new XAttribute("snapshot", d.Kind == KvmSnapshotKind.External ? "external" : "no"),
                d.Kind == KvmSnapshotKind.External ? new XElement("source", new XAttribute("file", d.File!)) : null))));
        IntPtr p = Libvirt.virDomainSnapshotCreateXML(h, x.ToString(SaveOptions.DisableFormatting),
            Libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY | Libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA | Libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC);
        if (p == IntPtr.Zero)
        {
            throw LibvirtException.FromLastError("virDomainSnapshotCreateXML");
        }
        Libvirt.virDomainSnapshotFree(p);
        verbose($"New overlays on the frozen images: {string.Join(", ", external.Select(d => d.File))}.");
        SnapshotService.Redefine(h, plan.Xml, current: true);
    }

    // The memory file's definition, read before anything changes: a missing or damaged file is refused here.
    private static string ReadSaveImage(LibvirtConnection conn, string vm, KvmSnapshot s)
    {
        try
        {
            return MemoryReverter.ReadSaveImageXml(conn, s.MemoryFile ?? "");
        }
        catch (LibvirtException e)
        {
            throw new VmRequestException("MemoryFileUnreadable", KvmErrorKind.ReadFailed, s.Name,
                $"Snapshot '{s.Name}' of VM '{vm}': its memory file '{s.MemoryFile}' cannot be read as a saved guest ({e.LibvirtMessage}); nothing was changed.");
        }
    }

    private static void Refuse(LibvirtConnection conn, string vm, KvmSnapshot s)
    {
        string version = conn.GetLibvirtVersion().ToString();
        if (s.Children.Length > 0)
        {
            throw new VmRequestException("ExternalRevertWithChildren", KvmErrorKind.NotSupported, s.Name,
                $"Snapshot '{s.Name}' of VM '{vm}' is external and has child snapshots ({string.Join(", ", s.Children)}), whose overlays sit on its own. libvirt {version} cannot revert external snapshots, "
                + "and KvmPS does it only for one without children: remove the children first (Remove-KvmSnapshot), or restore the newest one.");
        }
        if (!conn.IsLocal)
        {
            foreach (KvmSnapshotDisk d in s.Disks.Where(d => d.Kind == KvmSnapshotKind.External && d.File is not null))
            {
                if (HostVolumes.Find(conn, d.File!) is null)
                {
                    throw new VmRequestException("OverlayNotAVolume", KvmErrorKind.NotSupported, s.Name,
                        $"Snapshot '{s.Name}' of VM '{vm}': the overlay '{d.File}' is in no storage pool of {conn.Uri}, so KvmPS cannot replace it there. Define a pool over its directory (New-KvmStoragePool -Type Dir).");
                }
            }
        }
    }
}

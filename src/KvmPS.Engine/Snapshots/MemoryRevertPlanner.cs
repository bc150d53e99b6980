using System.Xml.Linq;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Domains;

namespace KvmPS.Engine.Snapshots;

/// <summary>
/// Plans the revert of an external snapshot with memory where libvirt cannot do it (before 9.9).
/// The snapshot's memory file is a libvirt save image of the guest at the moment the snapshot was
/// taken, and its disks are the images the snapshot froze (the overlays made then sit on them).
/// KvmPS does what a newer libvirt does, in steps that can each be undone: the frozen images get
/// new empty overlays (new files, so the ones in use stay until the end), the guest resumes from
/// the memory file with its disks on those overlays (a dxml for virDomainRestoreFlags, from the
/// definition saved in the image), the snapshot is redefined onto the new overlays and made
/// current, and only then are the old overlays deleted. The frozen images and the memory file are
/// never written, so the snapshot can be restored again. Pure: the host is given as XML texts and
/// a test for paths already taken.
/// </summary>
public static class MemoryRevertPlanner
{
    public static MemoryRevertPlan Plan(string vm, Guid uuid, string snapshotXml, string saveImageXml, XElement config,
        int children, Func<string, bool> pathTaken)
    {
        XElement snap = SafeXml.Parse(snapshotXml);
        string name = (string?)snap.Element("name") ?? "";
        string memory = (string?)snap.Element("memory")?.Attribute("file") is { Length: > 0 } m && (string?)snap.Element("memory")?.Attribute("snapshot") == "external"
            ? m
            : throw new VmRequestException("NoMemoryFile", KvmErrorKind.InvalidOperation, name,
                $"Snapshot '{name}' of VM '{vm}' has no external memory file, so there is no saved guest to resume.");
        if (children > 0)
        {
            throw new VmRequestException("ExternalRevertWithChildren", KvmErrorKind.NotSupported, name,
                $"Snapshot '{name}' of VM '{vm}' is external and has {children} child snapshot(s), whose overlays sit on its own. "
                + "KvmPS reverts external snapshots only without children: remove the children first (Remove-KvmSnapshot), or restore the newest one.");
        }
        XElement frozen = snap.Element("domain")
            ?? throw new VmRequestException("SnapshotWithoutDefinition", KvmErrorKind.InvalidOperation, name,
                $"Snapshot '{name}' of VM '{vm}' does not hold the VM's definition of its time, so the images it froze are not known.");
        XElement saved = SafeXml.Parse(saveImageXml);
        if (!Guid.TryParse((string?)saved.Element("uuid"), out Guid savedUuid) || savedUuid != uuid)
        {
            throw new VmRequestException("MemoryImageOfAnotherVM", KvmErrorKind.InvalidOperation, name,
                $"The memory file '{memory}' of snapshot '{name}' holds a guest with UUID {(string?)saved.Element("uuid") ?? "(none)"}, not VM '{vm}' ({uuid}); it is not restored.");
        }

        var taken = new HashSet<string>(StringComparer.Ordinal);
        var disks = new List<MemoryRevertDisk>();
        foreach (XElement d in snap.Element("disks")?.Elements("disk") ?? Enumerable.Empty<XElement>())
        {
            string target = (string?)d.Attribute("name") ?? "";
            string? old = (string?)d.Element("source")?.Attribute("file");
            if ((string?)d.Attribute("snapshot") != "external" || old is null)
            {
                continue;
            }
            XElement was = DeviceXml.FindDisk(frozen, target) ?? throw Missing(vm, name, target, "the definition saved in the snapshot");
            _ = DeviceXml.FindDisk(saved, target) ?? throw Missing(vm, name, target, $"the memory file '{memory}'");
            _ = DeviceXml.FindDisk(config, target) ?? throw Missing(vm, name, target, "the VM's present definition");
            XElement source = was.Element("source") ?? throw Missing(vm, name, target, "the definition saved in the snapshot (no source)");
            string? frozenFile = (string?)source.Attribute("file");
            string stem = Path.GetFileNameWithoutExtension(frozenFile ?? old) + "." + SnapshotPlanner.SafeFilePart(name);
            taken.Add(old);
            string fresh = SnapshotPlanner.FreePath(Path.GetDirectoryName(old) ?? "/", stem, ".qcow2", pathTaken, taken);
            disks.Add(new MemoryRevertDisk(target, source.ToString(SaveOptions.DisableFormatting), (string?)was.Element("driver")?.Attribute("type"), old, fresh));
        }
        if (disks.Count == 0)
        {
            throw new VmRequestException("NoExternalDisks", KvmErrorKind.InvalidOperation, name,
                $"Snapshot '{name}' of VM '{vm}' has no external disk file, so there are no frozen images to resume onto.");
        }
        string keep = SnapshotPlanner.FreePath(Path.GetDirectoryName(memory) ?? "/", $"{SnapshotPlanner.SafeFilePart(vm)}.before-revert", ".save", pathTaken, taken);
        bool paused = (string?)snap.Element("state") == "paused";
        return new MemoryRevertPlan(vm, name, memory, disks, OnOverlays(saved, disks), OverlaysXml(config, disks),
            SnapshotOnOverlays(snap, disks), keep, paused);
    }

    /// <summary>
    /// Points the snapshot disks of a definition back at the images the snapshot froze, and records
    /// the new overlays (not the old ones) as files of the snapshot. The edit before the overlays are made.
    /// </summary>
    public static void PointAtFrozen(XElement config, MemoryRevertPlan plan)
    {
        foreach (MemoryRevertDisk d in plan.Disks)
        {
            XElement disk = DeviceXml.FindDisk(config, d.Target)!;
            XElement source = XElement.Parse(d.Frozen);
            disk.Element("backingStore")?.Remove();
            if (disk.Element("source") is XElement s)
            {
                s.ReplaceWith(source);
            }
            else
            {
                disk.Add(source);
            }
            disk.SetAttributeValue("type", source.Attribute("file") is not null ? "file" : source.Attribute("dev") is not null ? "block" : (string?)disk.Attribute("type"));
            if (d.FrozenFormat is not null)
            {
                DomainEditor.GetOrAdd(disk, "driver").SetAttributeValue("type", d.FrozenFormat);
            }
            SnapshotRecord.RemoveFile(config, d.OldOverlay);
            SnapshotRecord.AddFile(config, plan.Name, d.NewOverlay);
        }
    }

    // The saved guest's definition with its snapshot disks on the new overlays: QEMU must never
    // open the frozen images for writing.
    private static string OnOverlays(XElement saved, List<MemoryRevertDisk> disks)
    {
        XElement x = new(saved);
        foreach (MemoryRevertDisk d in disks)
        {
            XElement disk = DeviceXml.FindDisk(x, d.Target)!;
            disk.SetAttributeValue("type", "file");
            disk.Element("backingStore")?.Remove();
            disk.Element("source")?.Remove();
            XElement driver = disk.Element("driver") ?? new XElement("driver", new XAttribute("name", "qemu"));
            if (driver.Parent is null)
            {
                disk.AddFirst(driver);
            }
            driver.SetAttributeValue("type", "qcow2");
            driver.AddAfterSelf(new XElement("source", new XAttribute("file", d.NewOverlay)));
        }
        return x.ToString(SaveOptions.DisableFormatting);
    }

    // Every disk of the definition is named: a disk-only snapshot takes the ones it does not name as well.
    private static string OverlaysXml(XElement config, List<MemoryRevertDisk> disks) =>
        new XElement("domainsnapshot", new XElement("memory", new XAttribute("snapshot", "no")),
            new XElement("disks", (config.Element("devices")?.Elements("disk") ?? Enumerable.Empty<XElement>())
                .Select(d => (string?)d.Element("target")?.Attribute("dev")).OfType<string>().Select(t =>
                    disks.FirstOrDefault(x => x.Target == t) is MemoryRevertDisk m
                        ? new XElement("disk", new XAttribute("name", t), new XAttribute("snapshot", "external"),
                            new XElement("source", new XAttribute("file", m.NewOverlay)))
                        : new XElement("disk", new XAttribute("name", t), new XAttribute("snapshot", "no")))))
            .ToString(SaveOptions.DisableFormatting);

    private static string SnapshotOnOverlays(XElement snap, List<MemoryRevertDisk> disks)
    {
        XElement x = new(snap);
        foreach (XElement d in x.Element("disks")!.Elements("disk"))
        {
            if (disks.FirstOrDefault(m => m.Target == (string?)d.Attribute("name")) is MemoryRevertDisk m)
            {
                d.Element("source")!.SetAttributeValue("file", m.NewOverlay);
            }
        }
        return x.ToString(SaveOptions.DisableFormatting);
    }

    private static VmRequestException Missing(string vm, string name, string target, string where) =>
        new("SnapshotDiskMissing", KvmErrorKind.InvalidOperation, name,
            $"Snapshot '{name}' of VM '{vm}': disk {target} is not in {where}, so the snapshot cannot be resumed onto it.");
}

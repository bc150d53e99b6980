using System.Xml.Linq;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Native;
using KvmPS.Engine.Storage;

namespace KvmPS.Engine.Domains;

/// <summary>
/// Copy-KvmVM: a new VM from an existing one, as virt-clone makes it. Every writable file disk is
/// copied through the storage API into a new volume of the same pool or of the destination pool (virStorageVolCreateXMLFrom,
/// so it works on a remote host), or with -Linked gets a qcow2 overlay volume on the original's
/// image; CD-ROMs and read-only or shared disks are used as they are. The copy gets a new name,
/// UUID and MAC addresses (DomainImport.AsCopy), owns its new volumes (and nothing of the
/// original's), and a UEFI variable store copied from the original's on this machine. The source
/// must be shut off (paused too for a full copy), as virt-clone demands: a running guest changes
/// its disks while they are read. Whatever fails on the way is undone.
/// </summary>
public static class VmCloner
{
    public static void Check(LibvirtConnection conn, DomainHandle h, string source, string newName, bool linked, string? destinationPool = null)
    {
        if (destinationPool is not null)
        {
            using StoragePool? pool = StoragePool.TryLookup(conn, destinationPool);
            if (pool is null || !pool.IsActive)
            {
                throw new VmRequestException(pool is null ? "DestinationPoolNotFound" : "DestinationPoolNotActive", pool is null ? KvmErrorKind.NotFound : KvmErrorKind.InvalidOperation,
                    destinationPool, $"Pool '{destinationPool}' {(pool is null ? "does not exist" : "is not running (Start-KvmStoragePool)")} on {conn.Uri}: nothing was copied.");
            }
        }
        if (ObjectName.Validate("VM", newName) is string bad)
        {
            throw VmRequestException.Invalid(newName, "InvalidVMName", bad);
        }
        using (DomainHandle? other = DomainService.TryLookup(conn, newName))
        {
            if (other is not null)
            {
                throw new VmRequestException("VMExists", KvmErrorKind.AlreadyExists, newName, $"A VM named '{newName}' already exists on {conn.Uri}.");
            }
        }
        var (state, _) = DomainService.GetState(h);
        bool ok = state is KvmVMState.ShutOff or KvmVMState.Shutdown or KvmVMState.Crashed || (!linked && state == KvmVMState.Paused);
        if (!ok)
        {
            throw new VmRequestException("SourceRunning", KvmErrorKind.InvalidOperation, source,
                $"VM '{source}' is {state}: a copy needs its disks at rest. Shut it down first{(linked ? "" : " (or pause it: Suspend-KvmVM)")}.");
        }
    }

    /// <summary>Makes the copy; returns notes for the user (verbose). Undoes what it made on failure (Ctrl+C too).</summary>
    public static List<string> Clone(LibvirtConnection conn, DomainHandle h, string newName, bool linked, CancellationToken cancel, string? destinationPool = null)
    {
        string source = LibvirtConnection.GetName(h);
        XElement domain = SafeXml.Parse(DomainService.GetXmlForEdit(h, inactive: true));
        // AsCopy's notes are about disks shared with the original: every writable one gets its own here.
        DomainImport.AsCopy(domain, newName, HostDomains.Read(conn));
        var notes = new List<string>();
        Guid uuid = Guid.NewGuid();
        domain.Element("name")!.AddAfterSelf(new XElement("uuid", uuid.ToString("D")));
        var created = new List<string>();
        var undo = new UndoLog();
        try
        {
            foreach (XElement disk in VmExporter.CopiedDisks(domain))
            {
                cancel.ThrowIfCancellationRequested();
                string target = (string?)disk.Element("target")?.Attribute("dev") ?? "disk";
                string? path = (string?)disk.Element("source")?.Attribute("file");
                if (path is null)
                {
                    throw new VmRequestException("DiskNotAFile", KvmErrorKind.NotSupported, source,
                        $"Disk {target} of VM '{source}' is no file (a block device or network disk): KvmPS copies file disks only.");
                }
                using StorageVolume vol = StorageVolume.TryLookupByPath(conn, path)
                    ?? throw new VmRequestException("DiskNotInPool", KvmErrorKind.NotSupported, source,
                        $"Disk {target} of VM '{source}' ('{path}') is in no storage pool, and KvmPS copies disks through the storage API. Define a pool over its directory (New-KvmStoragePool -Type Dir).");
                VolumeDefinition def = vol.GetDefinition();
                using StoragePool pool = StoragePool.TryLookup(conn, destinationPool ?? vol.PoolName)!;
                string format = linked ? "qcow2" : def.Format is { Length: > 0 } f && f != "none" ? f : "raw";
                string name = FreeVolumeName(pool, $"{newName}-{target}.{(format == "qcow2" ? "qcow2" : "img")}");
                var newDef = new VolumeDefinition
                {
                    Name = name,
                    Format = format,
                    CapacityBytes = def.CapacityBytes,
                    BackingPath = linked ? path : null,
                    BackingFormat = linked ? (def.Format is { Length: > 0 } bf && bf != "none" ? bf : "raw") : null,
                };
                string xml = StorageVolumeXml.Build(newDef);
                StorageVolume made = linked ? pool.CreateVolume(xml) : CopyVolume(pool, xml, vol);
                using (made)
                {
                    string newPath = made.GetDefinition().Path ?? throw new InvalidOperationException($"libvirt made volume '{name}' without a path.");
                    created.Add(newPath);
                    undo.Record($"Volume '{newPath}'", () => OwnedStorage.Delete(conn, newPath, conn.IsLocal), e => $"'{newPath}' could not be deleted: {e.Message}");
                    disk.Element("source")!.SetAttributeValue("file", newPath);
                    disk.Element("backingStore")?.Remove();
                    disk.Element("driver")?.SetAttributeValue("type", format);
                    notes.Add(linked ? $"Disk {target}: overlay '{newPath}' on '{path}' (the original's image must not change while the clone uses it)." : $"Disk {target}: copied to '{newPath}'.");
                }
            }
            CopyNvram(conn, h, domain, newName, notes, undo);
            var metadata = domain.Element("metadata") ?? new XElement("metadata");
            if (metadata.Parent is null)
            {
                domain.Element("uuid")!.AddAfterSelf(metadata);
            }
            if (created.Count > 0)
            {
                metadata.Add(new XElement(DomainXml.KvmPSNs + "kvmps", new XAttribute(XNamespace.Xmlns + "kvmps", DomainXml.KvmPSNs.NamespaceName),
                    created.Select(p => new XElement(DomainXml.KvmPSNs + "owned", new XAttribute("path", p), new XAttribute("owner", uuid.ToString("D"))))));
            }
            cancel.ThrowIfCancellationRequested();
            using DomainHandle copy = DomainService.Define(conn, domain.ToString(), validate: true);
            return notes;
        }
        catch
        {
            undo.Rollback();
            throw;
        }
    }

    private static StorageVolume CopyVolume(StoragePool pool, string xml, StorageVolume from)
    {
        IntPtr p = Libvirt.virStorageVolCreateXMLFrom(pool.Handle, xml, from.Handle, 0);
        return p == IntPtr.Zero ? throw LibvirtException.FromLastError("virStorageVolCreateXMLFrom") : new StorageVolume(pool, new StorageVolHandle(p));
    }

    internal static string FreeVolumeName(StoragePool pool, string name)
    {
        string stem = Path.GetFileNameWithoutExtension(name), ext = Path.GetExtension(name);
        for (int i = 1; ; i++)
        {
            string n = i == 1 ? name : $"{stem}-{i}{ext}";
            using StorageVolume? v = pool.TryLookupVolume(n);
            if (v is null)
            {
                return n;
            }
        }
    }

    // The original's variable store holds its boot entries: the copy starts from a copy of it, not
    // from the template. Only on this machine (a remote host's files are not reachable from here).
    private static void CopyNvram(LibvirtConnection conn, DomainHandle h, XElement domain, string newName, List<string> notes, UndoLog undo)
    {
        XElement? source = SafeXml.Parse(DomainService.GetInactiveXml(h)).Element("os")?.Element("nvram");
        string? from = source?.Value;
        if (string.IsNullOrEmpty(from))
        {
            return;
        }
        if (!conn.IsLocal || !File.Exists(from))
        {
            notes.Add($"The UEFI variables of the original ('{from}') were not copied (not reachable from here); libvirt makes the copy's from the template.");
            return;
        }
        string to = Path.Combine(Path.GetDirectoryName(from)!, $"{ObjectNameFile(newName)}_VARS.fd");
        if (File.Exists(to))
        {
            throw new VmRequestException("NvramExists", KvmErrorKind.AlreadyExists, newName, $"'{to}' exists already: remove it or choose another name.");
        }
        File.Copy(from, to);
        undo.Record($"'{to}'", () => { File.Delete(to); return $"Deleted '{to}'."; }, e => $"'{to}' could not be deleted: {e.Message}");
        XElement os = domain.Element("os")!;
        XElement nvram = os.Element("nvram") ?? new XElement("nvram");
        if (nvram.Parent is null)
        {
            os.Add(nvram);
        }
        nvram.Value = to;
        notes.Add($"UEFI variables copied to '{to}'.");
    }

    private static string ObjectNameFile(string name) => string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}

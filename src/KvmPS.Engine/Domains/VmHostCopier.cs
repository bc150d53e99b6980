using System.Xml.Linq;
using KvmPS.Engine.Backups;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Migration;
using KvmPS.Engine.Native;
using KvmPS.Engine.Storage;

namespace KvmPS.Engine.Domains;

/// <summary>
/// Copy-KvmVM to another host: every writable disk streamed from the source's volume API into a
/// new volume of the destination's (virStorageVolDownload into virStorageVolUpload, chunk by
/// chunk, nothing stored on this machine), then the VM defined there with a new UUID and new MAC
/// addresses (or the original's, when asked), owning those volumes. Everything that would fail is
/// refused before anything is made; a failure half-way removes the volumes made on the destination.
/// </summary>
public static class VmHostCopier
{
    public static VmHostCopyPlan Check(LibvirtConnection src, DomainHandle h, LibvirtConnection dest, string newName, string? destinationPool, bool linked, bool keepId)
    {
        string source = LibvirtConnection.GetName(h);
        if (linked)
        {
            throw new VmRequestException("LinkedCloneAcrossHosts", KvmErrorKind.NotSupported, source,
                $"A linked clone's overlays need the original's images on the same host; {dest.Uri} cannot reach those of {src.Uri}. Copy it in full (without -Linked).");
        }
        if (HostUuid.Same(src, dest))
        {
            throw new VmRequestException("SameHost", KvmErrorKind.InvalidArgument, source,
                $"{dest.Uri} is the host VM '{source}' is on: leave -DestinationUri out (and give -DestinationPool for another pool of it).");
        }
        VmCloner.Check(dest, h, source, newName, linked: false);
        XElement domain = SafeXml.Parse(DomainService.GetInactiveXml(h));
        if (keepId)
        {
            Guid uuid = Guid.Parse((string?)domain.Element("uuid") ?? Guid.Empty.ToString());
            string? same = null;
            try
            {
                using DomainHandle other = dest.LookupDomain(uuid);
                same = LibvirtConnection.GetName(other);
            }
            catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoDomain)
            {
                // Free on the destination.
            }
            if (same is not null)
            {
                throw new VmRequestException("VMUuidInUse", KvmErrorKind.AlreadyExists, newName,
                    $"{dest.Uri} has a VM with the UUID {uuid} ('{same}'): leave -KeepId out to give the copy a new UUID and new MAC addresses.");
            }
        }
        var disks = new List<VmHostCopyDisk>();
        var taken = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (XElement disk in VmExporter.CopiedDisks(domain))
        {
            string target = (string?)disk.Element("target")?.Attribute("dev") ?? "disk";
            string path = (string?)disk.Element("source")?.Attribute("file")
                ?? throw new VmRequestException("DiskNotAFile", KvmErrorKind.NotSupported, source,
                    $"Disk {target} of VM '{source}' is no file (a block device or network disk): KvmPS copies file disks only.");
            using StorageVolume vol = StorageVolume.TryLookupByPath(src, path)
                ?? throw new VmRequestException("DiskNotInPool", KvmErrorKind.NotSupported, source,
                    $"Disk {target} of VM '{source}' ('{path}') is in no storage pool, and KvmPS copies disks through the storage API. Define a pool over its directory (New-KvmStoragePool -Type Dir).");
            VolumeDefinition def = vol.GetDefinition();
            if (def.BackingPath is not null)
            {
                throw new VmRequestException("DiskHasBackingFile", KvmErrorKind.NotSupported, source,
                    $"Disk {target} of VM '{source}' is an overlay on '{def.BackingPath}', which the other host does not have. Make a full copy on this host first (Copy-KvmVM without -Linked), then copy that.");
            }
            string poolName = destinationPool ?? vol.PoolName;
            if (!taken.TryGetValue(poolName, out HashSet<string>? names))
            {
                using StoragePool? pool = StoragePool.TryLookup(dest, poolName);
                if (pool is null || !pool.IsActive)
                {
                    throw new VmRequestException(pool is null ? "DestinationPoolNotFound" : "DestinationPoolNotActive", pool is null ? KvmErrorKind.NotFound : KvmErrorKind.InvalidOperation, poolName,
                        $"{dest.Uri} has {(pool is null ? "no pool" : "no running pool")} named '{poolName}' for disk {target} of VM '{source}'{(destinationPool is null ? " (the pool's name on the source host): give -DestinationPool" : "")}. Nothing was copied.");
                }
                names = pool.ListVolumes().Select(v => { using (v) { return v.Name; } }).ToHashSet(StringComparer.Ordinal);
                taken[poolName] = names;
            }
            string format = (string?)disk.Element("driver")?.Attribute("type") ?? (def.Format is { Length: > 0 } f && f != "none" ? f : "raw");
            string volume = VmImportPlanner.FreeName($"{newName}-{VmExporter.FileFor(target, format)}", names);
            disks.Add(new VmHostCopyDisk(target, path, poolName, volume, format, def.PhysicalBytes ?? def.CapacityBytes));
        }
        return new VmHostCopyPlan(source, newName, keepId, disks);
    }

    /// <summary>Makes the copy on <paramref name="dest"/>; returns notes for the user. Undoes what it made on failure (Ctrl+C too).</summary>
    public static List<string> Copy(LibvirtConnection src, DomainHandle h, LibvirtConnection dest, VmHostCopyPlan plan,
        Action<BackupProgress> progress, Action<string> verbose, Action<string> warn, CancellationToken cancel)
    {
        XElement domain = SafeXml.Parse(DomainService.GetXmlForEdit(h, inactive: true));
        var notes = new List<string>();
        var undo = new UndoLog();
        try
        {
            var pathByTarget = new Dictionary<string, string>(StringComparer.Ordinal);
            ulong total = Math.Max(plan.TotalBytes, 1), before = 0;
            foreach (VmHostCopyDisk d in plan.Disks)
            {
                cancel.ThrowIfCancellationRequested();
                using StorageVolume from = StorageVolume.TryLookupByPath(src, d.SourcePath)
                    ?? throw new VmRequestException("DiskNotInPool", KvmErrorKind.NotFound, plan.Source, $"The volume of disk {d.Target} ('{d.SourcePath}') has gone.");
                using StoragePool pool = StoragePool.TryLookup(dest, d.DestinationPool)
                    ?? throw new VmRequestException("DestinationPoolNotFound", KvmErrorKind.NotFound, d.DestinationPool, $"Pool '{d.DestinationPool}' has gone from {dest.Uri}.");
                KvmStoragePoolType poolType = pool.GetDefinition(inactive: false).Type;
                ulong start = before;
                // Sparse: the source's holes cross as lengths and become holes again in a file pool.
                using VolumeReadStream data = VolumeReadStream.Open(from, 0, 0, sparse: true);
                using StorageVolume made = VolumeImporter.Import(pool, VolumeImporter.Plan(d.VolumeName, d.Length, poolType), data,
                    sent => progress(new BackupProgress($"Copying {d.Target} to {dest.Uri} {d.DestinationPool}/{d.VolumeName}", (int)Math.Min(99, (start + sent) * 100 / total), start + sent, total)),
                    cancel, verbose, warn);
                string vname = made.Name, pname = made.PoolName;
                undo.Record($"Volume '{pname}/{vname}' on {dest.Uri}", () => { DeleteVolume(dest, pname, vname); return $"Removed volume '{pname}/{vname}' from {dest.Uri}."; },
                    e => Leftover.NotRemoved($"Volume '{pname}/{vname}' on {dest.Uri}", e.Message, Leftover.RemoveVolumeCommand(pname, vname, dest.Uri)));
                data.Complete();
                VolumeImporter.WaitForFormat(pool, vname, d.Format == "qcow2" ? "qcow2" : "raw", TimeSpan.FromSeconds(5));
                string newPath = made.GetDefinition().Path ?? throw new InvalidOperationException($"Volume '{vname}' has no path.");
                pathByTarget[d.Target] = newPath;
                notes.Add($"Disk {d.Target}: {d.Length} bytes streamed to '{newPath}' on {dest.Uri}" + (data.HoleBytes > 0 ? $", {data.HoleBytes} of them as holes." : "."));
                before += d.Length;
            }
            var formatByTarget = plan.Disks.ToDictionary(d => d.Target, d => d.Format, StringComparer.Ordinal);
            RestoreDefinition.PointDisks(domain, pathByTarget, t => formatByTarget[t]);
            if (domain.Element("os")?.Element("nvram") is XElement nvram && nvram.Value.Length > 0)
            {
                notes.Add($"The UEFI variables ('{nvram.Value}') stay on {src.Uri}: libvirt makes the copy's from the firmware's template.");
            }
            if (plan.KeepId)
            {
                domain.Element("name")!.Value = plan.NewName;
                domain.Element("os")?.Element("nvram")?.SetValue("");
                if (domain.Element("os")?.Element("nvram") is { HasAttributes: false } empty)
                {
                    empty.Remove();
                }
            }
            else
            {
                DomainImport.AsCopy(domain, plan.NewName, HostDomains.Read(dest)).ForEach(warn);
            }
            Guid uuid = RestoreDefinition.Own(domain, pathByTarget.Values);
            MissingNetworks(domain, dest).ToList().ForEach(warn);
            cancel.ThrowIfCancellationRequested();
            using DomainHandle copy = DomainService.Define(dest, domain.ToString(), validate: true);
            notes.Add($"Defined VM '{plan.NewName}' ({uuid}) on {dest.Uri}.");
            return notes;
        }
        catch
        {
            var (done, failed) = undo.Rollback();
            done.ForEach(verbose);
            failed.ForEach(warn);
            throw;
        }
    }

    // The copy is defined all the same (a network can be made later), but it would not start.
    private static IEnumerable<string> MissingNetworks(XElement domain, LibvirtConnection dest)
    {
        foreach (string network in DeviceXml.Nics(domain).Where(n => (string?)n.Attribute("type") == "network")
            .Select(n => (string?)n.Element("source")?.Attribute("network")).OfType<string>().Distinct())
        {
            IntPtr p = Libvirt.virNetworkLookupByName(dest.Handle, network);
            if (p == IntPtr.Zero)
            {
                Libvirt.virResetLastError();
                yield return $"{dest.Uri} has no network named '{network}': the copy does not start until it has (New-KvmNetwork), or its adapter is changed.";
            }
            else
            {
                new NetworkHandle(p).Dispose();
            }
        }
    }

    private static void DeleteVolume(LibvirtConnection conn, string pool, string name)
    {
        using StoragePool? p = StoragePool.TryLookup(conn, pool);
        using StorageVolume? v = p?.TryLookupVolume(name);
        v?.Delete();
    }
}

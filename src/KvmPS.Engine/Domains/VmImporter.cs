using System.Xml.Linq;
using KvmPS.Engine.Backups;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Native;
using KvmPS.Engine.Storage;

namespace KvmPS.Engine.Domains;

/// <summary>
/// Import-KvmVM of an export directory (Export-KvmVM -IncludeStorage). Check reads the manifest
/// and the host and refuses before anything is made; Run checks every file against its SHA-256,
/// then either uploads each image into a new volume of the pool through libvirt's stream API
/// (-Copy, remote hosts too; the VM owns the volumes) or points the disks at the export's files
/// (in place, this machine only; the VM owns nothing), and defines the VM. A failure half-way
/// (Ctrl+C too) removes every volume and file it made.
/// </summary>
public static class VmImporter
{
    /// <summary>The manifest of an export directory; refusals when there is none or it is not one.</summary>
    public static VmExportManifest LoadManifest(string dir)
    {
        if (!Directory.Exists(dir))
        {
            throw new VmRequestException("DirectoryNotFound", KvmErrorKind.NotFound, dir, $"The directory '{dir}' does not exist.");
        }
        string path = Path.Combine(dir, VmExportManifest.FileName);
        if (!File.Exists(path))
        {
            throw new VmRequestException("ExportManifestNotFound", KvmErrorKind.NotFound, dir,
                $"'{dir}' holds no VM export: there is no {VmExportManifest.FileName} in it (an export that was cut off has none).");
        }
        try
        {
            return VmExportManifest.FromJson(File.ReadAllText(path));
        }
        catch (InvalidDataException e)
        {
            throw new VmRequestException("InvalidExportManifest", KvmErrorKind.InvalidArgument, dir, $"'{path}': {e.Message}");
        }
    }

    public static VmImportPlan Check(LibvirtConnection conn, VmImportRequest request)
    {
        VmExportManifest m = LoadManifest(request.Directory);
        var pools = new List<(string Name, bool Active)>();
        foreach (StoragePool p in StoragePool.ListAll(conn))
        {
            using (p)
            {
                pools.Add((p.Name, p.IsActive));
            }
        }
        var volumes = new HashSet<string>(StringComparer.Ordinal);
        if (request.Copy && m.Disks.Count > 0)
        {
            string pool = request.Pool
                ?? m.Disks.Select(d => d.SourcePool).FirstOrDefault(n => pools.Any(p => p.Name == n && p.Active))
                ?? (pools.Any(p => p.Name == "default" && p.Active) ? "default" : null)
                ?? throw new VmRequestException("PoolRequired", KvmErrorKind.InvalidArgument, request.Directory,
                    $"{conn.Uri} has no active pool named as the exported disks' ('{m.Disks[0].SourcePool}') nor 'default': give -Pool.");
            if (!pools.Any(p => p.Name == pool && p.Active))
            {
                throw new VmRequestException(pools.Any(p => p.Name == pool) ? "PoolNotActive" : "PoolNotFound",
                    pools.Any(p => p.Name == pool) ? KvmErrorKind.InvalidOperation : KvmErrorKind.NotFound, pool,
                    $"Pool '{pool}' {(pools.Any(p => p.Name == pool) ? "is not running (Start-KvmStoragePool)" : $"does not exist on {conn.Uri}")}: nothing was imported.");
            }
            request = request with { Pool = pool };
            using StoragePool target = StoragePool.TryLookup(conn, pool)!;
            foreach (StorageVolume v in target.ListVolumes())
            {
                using (v)
                {
                    volumes.Add(v.Name);
                }
            }
        }
        HostDomains host = HostDomains.Read(conn);
        var uuids = host.Definitions.Select(d => Guid.TryParse((string?)d.Xml.Element("uuid"), out Guid g) ? g : Guid.Empty).ToHashSet();
        var facts = new VmImportHost(conn.IsLocal, host.Definitions.Select(d => d.Name).ToHashSet(StringComparer.Ordinal), uuids, volumes);
        VmImportPlan plan = VmImportPlanner.Plan(request, m, facts, p => File.Exists(p) ? new FileInfo(p).Length : null);
        if (!plan.NewIdentity)
        {
            XElement domain = ReadDefinition(plan);
            if (MacAddressCheck.Check(host, DomainImport.Macs(domain), except: plan.VmName, force: false) is { } inUse)
            {
                throw new VmRequestException(inUse.ErrorId, inUse.Kind, plan.VmName, $"VM '{plan.VmName}' was not imported: {inUse.Message} Give -GenerateNewId for new MAC addresses.");
            }
        }
        return plan;
    }

    public static KvmVM Run(LibvirtConnection conn, VmImportPlan plan, Action<BackupProgress> progress, Action<string> verbose, Action<string> warn, CancellationToken cancel)
    {
        Verify(plan, progress, cancel);
        XElement domain = ReadDefinition(plan);
        var undo = new UndoLog();
        try
        {
            var pathByTarget = new Dictionary<string, string>(StringComparer.Ordinal);
            var formatByTarget = plan.Disks.ToDictionary(d => d.Entry.Target, d => d.Entry.Format, StringComparer.Ordinal);
            using (StoragePool? pool = plan.Pool is null ? null : StoragePool.TryLookup(conn, plan.Pool))
            {
                KvmStoragePoolType poolType = pool?.GetDefinition(inactive: false).Type ?? KvmStoragePoolType.Dir;
                ulong total = Math.Max(plan.Disks.Aggregate(0UL, (s, d) => s + d.Entry.FileSizeBytes), 1), before = 0;
                foreach (VmImportPlannedDisk d in plan.Disks)
                {
                    if (pool is null || d.VolumeName is null)
                    {
                        pathByTarget[d.Entry.Target] = d.FilePath;
                        continue;
                    }
                    cancel.ThrowIfCancellationRequested();
                    using FileStream file = new(d.FilePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
                    ulong length = (ulong)file.Length, start = before;
                    StorageVolume vol = VolumeImporter.Import(pool, VolumeImporter.Plan(d.VolumeName, length, poolType), file,
                        sent => progress(new BackupProgress($"Copying {d.Entry.Target} to {plan.Pool}/{d.VolumeName}", (int)Math.Min(99, (start + sent) * 100 / total), start + sent, total)),
                        cancel, verbose, warn);
                    using (vol)
                    {
                        string vname = vol.Name, pname = vol.PoolName;
                        undo.Record($"Volume '{pname}/{vname}'", () => { DeleteVolume(conn, pname, vname); return $"Removed volume '{pname}/{vname}' of the failed import."; },
                            e => Leftover.NotRemoved($"Volume '{pname}/{vname}'", e.Message, Leftover.RemoveVolumeCommand(pname, vname, conn.Uri)));
                        VolumeImporter.WaitForFormat(pool, vname, d.Entry.Format == "qcow2" ? "qcow2" : "raw", TimeSpan.FromSeconds(5));
                        pathByTarget[d.Entry.Target] = vol.GetDefinition().Path ?? throw new InvalidOperationException($"Volume '{vname}' has no path.");
                    }
                    before += length;
                }
            }
            RestoreDefinition.PointDisks(domain, pathByTarget, target => formatByTarget[target]);
            if (plan.NewIdentity)
            {
                DomainImport.AsCopy(domain, plan.VmName, HostDomains.Read(conn)).ForEach(warn);
            }
            domain.Element("name")!.Value = plan.VmName;
            PlaceNvram(domain, plan, undo, verbose);
            plan.Notes.ToList().ForEach(warn);
            if (plan.Request.Copy)
            {
                RestoreDefinition.Own(domain, pathByTarget.Values);
            }
            else
            {
                DomainXmlText.DropOwnership(domain);
            }
            cancel.ThrowIfCancellationRequested();
            using DomainHandle h = DomainService.Define(conn, domain.ToString(), validate: true);
            KvmVM vm = DomainService.Get(conn, h);
            verbose($"Defined VM '{vm.Name}' ({vm.Uuid}) from '{plan.Request.Directory}'.");
            return vm;
        }
        catch
        {
            var (done, failed) = undo.Rollback();
            done.ForEach(verbose);
            failed.ForEach(warn);
            throw;
        }
    }

    private static XElement ReadDefinition(VmImportPlan plan)
    {
        XElement domain = SafeXml.Parse(DomainXmlText.Decode(File.ReadAllBytes(plan.DefinitionPath)));
        if (domain.Name != "domain" || domain.Element("name") is null)
        {
            throw new VmRequestException("InvalidDomainXml", KvmErrorKind.InvalidArgument, plan.DefinitionPath, $"'{plan.DefinitionPath}' is not a libvirt domain definition.");
        }
        return domain;
    }

    /// <summary>Every file against the manifest's SHA-256, before anything is made.</summary>
    private static void Verify(VmImportPlan plan, Action<BackupProgress> progress, CancellationToken cancel)
    {
        var files = plan.Manifest.Files().ToList();
        for (int i = 0; i < files.Count; i++)
        {
            string path = Path.Combine(plan.Request.Directory, files[i].File);
            progress(new BackupProgress($"Checking SHA-256 of {files[i].File}", 100 * i / files.Count));
            string actual = BackupRunner.Sha256Of(path, cancel);
            if (!string.Equals(actual, files[i].Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new VmRequestException("ExportFileCorrupt", KvmErrorKind.InvalidArgument, path,
                    $"'{path}' has SHA-256 {actual}, its manifest says {files[i].Sha256}: the file has changed or is damaged, and nothing was imported.");
            }
        }
    }

    private static void PlaceNvram(XElement domain, VmImportPlan plan, UndoLog undo, Action<string> verbose)
    {
        XElement? nvram = domain.Element("os")?.Element("nvram");
        if (plan.NvramFrom is null || plan.NvramTo is null)
        {
            if (nvram is not null && (plan.NewIdentity || plan.VmName != plan.Manifest.VmName || plan.Manifest.Nvram is not null))
            {
                // The original's path is not this VM's: libvirt makes one from the template.
                nvram.Value = "";
                if (!nvram.HasAttributes)
                {
                    nvram.Remove();
                }
            }
            return;
        }
        if (plan.NvramTo != plan.NvramFrom)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(plan.NvramTo)!);
            File.Copy(plan.NvramFrom, plan.NvramTo);
            string to = plan.NvramTo;
            undo.Record($"'{to}'", () => { File.Delete(to); return $"Deleted '{to}'."; }, e => $"'{to}' could not be deleted: {e.Message}");
            verbose($"UEFI variables copied to '{to}'.");
        }
        XElement os = domain.Element("os")!;
        if (nvram is null)
        {
            os.Add(nvram = new XElement("nvram"));
        }
        nvram.Value = plan.NvramTo;
    }

    private static void DeleteVolume(LibvirtConnection conn, string pool, string name)
    {
        using StoragePool? p = StoragePool.TryLookup(conn, pool);
        using StorageVolume? v = p?.TryLookupVolume(name);
        v?.Delete();
    }
}

using System.Xml.Linq;
using KvmPS.Engine.Backups;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Native;
using KvmPS.Engine.Storage;

namespace KvmPS.Engine.Domains;

/// <summary>
/// Export-KvmVM -IncludeStorage: a directory &lt;parent&gt;/&lt;VM name&gt; with the VM's definition,
/// every writable disk image (downloaded through libvirt's volume API, so the host may be remote),
/// the UEFI variable store when this machine can read it, and a manifest with lengths, formats,
/// targets and SHA-256 written last. The disks must be at rest: a shut-off or paused VM, or a
/// running one that the caller lets the export pause (and resume afterwards). A failed or
/// cancelled export removes its directory.
/// </summary>
public static class VmExporter
{
    /// <summary>The disks a copy of the VM gets its own images of: writable, neither read-only nor shared (CD-ROMs and shared disks stay references).</summary>
    public static List<XElement> CopiedDisks(XElement domain) =>
        DeviceXml.Disks(domain).Where(d => ((string?)d.Attribute("device") ?? "disk") == "disk"
            && d.Element("readonly") is null && d.Element("shareable") is null).ToList();

    /// <summary>Why a VM in <paramref name="state"/> cannot be exported, or null; a running one only with <paramref name="pause"/>.</summary>
    public static string? StateRefusal(string name, KvmVMState state, bool pause) =>
        state is KvmVMState.ShutOff or KvmVMState.Shutdown or KvmVMState.Crashed or KvmVMState.Paused || (pause && state == KvmVMState.Running)
            ? null
            : $"VM '{name}' is {state}: an export copies its disks, which a running guest changes while they are read. Shut it down, pause it (Suspend-KvmVM), or give -Suspend to pause it for the time of the export.";

    /// <summary>The file a disk becomes in the export: its target, with .qcow2 or .img.</summary>
    public static string FileFor(string target, string format) => $"{string.Concat(target.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_'))}.{(format == "qcow2" ? "qcow2" : "img")}";

    public static VmExportPlan Plan(LibvirtConnection conn, DomainHandle h, string parent, bool pause)
    {
        string name = LibvirtConnection.GetName(h);
        if (!Directory.Exists(parent))
        {
            throw new VmRequestException("DirectoryNotFound", KvmErrorKind.NotFound, parent, $"The directory '{parent}' does not exist: Export-KvmVM -IncludeStorage makes '{name}' in it.");
        }
        string dir = Path.Combine(parent, name);
        if (Directory.Exists(dir) || File.Exists(dir))
        {
            throw new VmRequestException("ExportExists", KvmErrorKind.AlreadyExists, dir, $"'{dir}' exists already: remove it, or export to another directory.");
        }
        var (state, _) = DomainService.GetState(h);
        if (StateRefusal(name, state, pause) is string refusal)
        {
            throw new VmRequestException("SourceRunning", KvmErrorKind.InvalidOperation, name, refusal);
        }
        XElement domain = SafeXml.Parse(DomainService.GetInactiveXml(h));
        var disks = new List<VmExportPlannedDisk>();
        var notes = new List<string>();
        foreach (XElement disk in CopiedDisks(domain))
        {
            string target = (string?)disk.Element("target")?.Attribute("dev") ?? "disk";
            string path = (string?)disk.Element("source")?.Attribute("file")
                ?? throw new VmRequestException("DiskNotAFile", KvmErrorKind.NotSupported, name,
                    $"Disk {target} of VM '{name}' is no file (a block device or network disk): KvmPS exports file disks only.");
            using StorageVolume vol = StorageVolume.TryLookupByPath(conn, path)
                ?? throw new VmRequestException("DiskNotInPool", KvmErrorKind.NotSupported, name,
                    $"Disk {target} of VM '{name}' ('{path}') is in no storage pool, and KvmPS reads disks through the storage API. Define a pool over its directory (New-KvmStoragePool -Type Dir).");
            VolumeDefinition def = vol.GetDefinition();
            if (def.BackingPath is not null)
            {
                throw new VmRequestException("DiskHasBackingFile", KvmErrorKind.NotSupported, name,
                    $"Disk {target} of VM '{name}' is an overlay on '{def.BackingPath}' (a linked clone or an external snapshot), which would not travel with it. Export a full copy (Copy-KvmVM without -Linked) or merge the overlay first.");
            }
            string format = (string?)disk.Element("driver")?.Attribute("type") ?? (def.Format is { Length: > 0 } f && f != "none" ? f : "raw");
            disks.Add(new VmExportPlannedDisk(target, path, vol.PoolName, format, def.CapacityBytes, def.PhysicalBytes ?? def.CapacityBytes, FileFor(target, format)));
        }
        foreach (XElement other in DeviceXml.Disks(domain).Except(CopiedDisks(domain)))
        {
            string? src = (string?)other.Element("source")?.Attribute("file") ?? (string?)other.Element("source")?.Attribute("dev");
            if (src is not null)
            {
                notes.Add($"Disk {(string?)other.Element("target")?.Attribute("dev")} ('{src}', read-only or shared) is not copied: the definition keeps its path.");
            }
        }
        string? nvram = domain.Element("os")?.Element("nvram")?.Value;
        if (string.IsNullOrEmpty(nvram))
        {
            nvram = null;
        }
        else if (!conn.IsLocal || !File.Exists(nvram))
        {
            notes.Add($"The UEFI variables ('{nvram}') are not exported: the file is not reachable from here; an import starts from the firmware's template.");
            nvram = null;
        }
        Guid uuid = Guid.Parse((string?)domain.Element("uuid") ?? Guid.Empty.ToString());
        return new VmExportPlan(name, uuid, dir, state, state == KvmVMState.Running, disks, nvram, notes);
    }

    /// <summary>Makes the export; on failure or cancellation removes the directory again. A VM paused here is resumed at the end.</summary>
    public static KvmVMExport Run(LibvirtConnection conn, DomainHandle h, VmExportPlan plan, bool includeSecrets,
        Action<BackupProgress> progress, Action<string> verbose, CancellationToken cancel)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(plan.Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            options.UnixCreateMode = VmStorage.PrivateFileMode;
        }
        else
        {
            Directory.CreateDirectory(plan.Directory);
        }
        bool paused = false;
        try
        {
            var m = new VmExportManifest
            {
                VmName = plan.VmName, VmUuid = plan.Uuid, SourceUri = conn.Uri, VmState = plan.State.ToString(),
                CreatedUtc = DateTime.UtcNow, Definition = plan.VmName + ".xml", IncludesSecrets = includeSecrets,
            };
            if (plan.Pause)
            {
                DomainService.Suspend(h);
                paused = true;
                verbose($"Paused VM '{plan.VmName}' for the time of the export.");
            }
            string xml = DomainService.GetXmlForExport(h, includeSecrets);
            string definition = Path.Combine(plan.Directory, m.Definition);
            using (var writer = new StreamWriter(definition, System.Text.Encoding.UTF8, options))
            {
                writer.Write(xml);
            }
            m.DefinitionSha256 = BackupRunner.Sha256Of(definition, cancel);
            ulong total = Math.Max(plan.TotalBytes, 1), before = 0;
            foreach (VmExportPlannedDisk d in plan.Disks)
            {
                string file = Path.Combine(plan.Directory, d.File);
                using StorageVolume vol = StorageVolume.TryLookupByPath(conn, d.SourcePath)
                    ?? throw new VmRequestException("DiskNotInPool", KvmErrorKind.NotFound, plan.VmName, $"The volume of disk {d.Target} ('{d.SourcePath}') has gone.");
                var (length, sha) = VolumeDownloader.ToFile(vol, file,
                    done => progress(new BackupProgress($"Copying {d.Target} ({d.SourcePath})", (int)Math.Min(99, (before + done) * 100 / total), before + done, total)), cancel);
                before += d.Length;
                m.Disks.Add(new VmExportFile
                {
                    Target = d.Target, File = d.File, Format = d.Format, VirtualSizeBytes = d.VirtualSizeBytes,
                    FileSizeBytes = length, Sha256 = sha, SourcePath = d.SourcePath, SourcePool = d.Pool,
                });
                verbose($"Disk {d.Target}: {length} bytes to '{file}'.");
            }
            if (plan.NvramPath is not null)
            {
                string file = Path.Combine(plan.Directory, "nvram.fd");
                File.Copy(plan.NvramPath, file);
                m.Nvram = new VmExportFile
                {
                    Target = "nvram", File = "nvram.fd", Format = "raw", FileSizeBytes = (ulong)new FileInfo(file).Length,
                    VirtualSizeBytes = (ulong)new FileInfo(file).Length, Sha256 = BackupRunner.Sha256Of(file, cancel), SourcePath = plan.NvramPath,
                };
            }
            cancel.ThrowIfCancellationRequested();
            m.Save(plan.Directory);
            progress(new BackupProgress("Done", 100, total, total));
            return Describe(plan.Directory, m);
        }
        catch
        {
            Directory.Delete(plan.Directory, recursive: true);
            verbose($"Removed '{plan.Directory}' of the failed export.");
            throw;
        }
        finally
        {
            if (paused)
            {
                DomainService.Resume(h);
                verbose($"Resumed VM '{plan.VmName}'.");
            }
        }
    }

    /// <summary>The public object for an export directory and its manifest.</summary>
    public static KvmVMExport Describe(string directory, VmExportManifest m) => new()
    {
        VMName = m.VmName,
        VMUuid = m.VmUuid,
        Path = directory,
        DefinitionPath = Path.Combine(directory, m.Definition),
        Disks = m.Disks.Select(d => new KvmVMExportDisk
        {
            Target = d.Target, Path = Path.Combine(directory, d.File), Format = d.Format, SourcePath = d.SourcePath,
            VirtualSizeBytes = d.VirtualSizeBytes, FileSizeBytes = d.FileSizeBytes, Sha256 = d.Sha256,
        }).ToArray(),
        NvramPath = m.Nvram is null ? null : Path.Combine(directory, m.Nvram.File),
        SizeBytes = m.Disks.Aggregate(0UL, (s, d) => s + d.FileSizeBytes) + (m.Nvram?.FileSizeBytes ?? 0),
        VMState = Enum.TryParse(m.VmState, out KvmVMState s) ? s : KvmVMState.NoState,
        CreationTime = m.CreatedUtc,
        Uri = m.SourceUri,
    };
}

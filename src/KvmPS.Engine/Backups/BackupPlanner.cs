using System.Xml.Linq;

namespace KvmPS.Engine.Backups;

/// <summary>
/// Decides a backup: full or incremental, which disks, file names, the checkpoint it creates and
/// the one it copies the changes since, and every refusal before anything is written. Pure.
/// </summary>
public static class BackupPlanner
{
    public static string DiskFile(int index, string target) => $"{index:D2}-{target}.qcow2";

    public static string DefinitionFile(int index) => $"{index:D2}-definition.xml";

    public static BackupPlan Plan(BackupRequest r)
    {
        string vm = r.VmName;
        BackupDestination dest = r.Destination;
        if (!r.LocalHost)
        {
            throw new BackupException("BackupNeedsLocalHost", KvmErrorKind.NotSupported, vm,
                $"Backup-KvmVM writes the backup files on the VM's host and reads them back for the manifest's checksums; VM '{vm}' is on a host that is not this machine. "
                + "Run Backup-KvmVM on that host, or make a whole copy from here with Export-KvmVM -IncludeStorage (it reads the disks through the host's storage pools).");
        }
        if (dest.WriteProblem is string problem)
        {
            throw new BackupException("DestinationNotWritable", KvmErrorKind.WriteFailed, dest.Path, $"VM '{vm}' was not backed up: {problem}");
        }
        var disks = r.Disks.Where(d => d.IsBackedUp).ToList();
        if (disks.Count == 0)
        {
            throw new BackupException("NothingToBackUp", KvmErrorKind.InvalidOperation, vm, $"VM '{vm}' has no writable disk with a source: there is nothing to back up.");
        }
        if (!r.Persistent && r.State is KvmVMState.ShutOff)
        {
            throw new BackupException("VMNotRunning", KvmErrorKind.InvalidOperation, vm, $"VM '{vm}' is neither running nor defined.");
        }
        bool startPaused = r.State is KvmVMState.ShutOff or KvmVMState.Crashed or KvmVMState.NoState;
        var notes = new List<string>();
        if (startPaused)
        {
            notes.Add($"VM '{vm}' is shut off: libvirt backs up only running domains, so it is started paused (its guest runs no instruction), backed up and stopped again.");
        }
        BackupManifest? chain = r.Existing;
        if (chain is not null && chain.VmUuid != r.VmUuid)
        {
            throw new BackupException("BackupOfAnotherVM", KvmErrorKind.InvalidArgument, dest.Path,
                $"'{dest.Path}' holds the backups of VM '{chain.VmName}' ({chain.VmUuid}), not of VM '{vm}' ({r.VmUuid}): give another -Destination.");
        }
        int index;
        string? parent = null;
        if (r.Incremental)
        {
            if (chain is null || chain.Chain.Count == 0)
            {
                throw new BackupException("NoFullBackup", KvmErrorKind.InvalidOperation, dest.Path,
                    $"-Incremental: '{dest.Path}' holds no backup of VM '{vm}' to build on. Make a full backup there first (Backup-KvmVM without -Incremental).");
            }
            BackupManifestEntry last = chain.Chain[^1];
            parent = last.Checkpoint;
            if (parent is null)
            {
                throw new BackupException("ChainHasNoCheckpoint", KvmErrorKind.InvalidOperation, dest.Path,
                    $"-Incremental: the last backup in '{dest.Path}' made no checkpoint (its disks could not hold a dirty bitmap), so no incremental backup can follow it. Make a full backup into a new directory.");
            }
            if (!r.VmCheckpoints.Contains(parent))
            {
                throw new BackupException("CheckpointMissing", KvmErrorKind.NotFound, vm,
                    $"-Incremental: VM '{vm}' no longer has checkpoint '{parent}' of the last backup in '{dest.Path}', so the changes since then are unknown. Make a full backup into a new directory.");
            }
            var before = last.Disks.Select(d => d.Target).ToHashSet(StringComparer.Ordinal);
            var now = disks.Select(d => d.Target).ToHashSet(StringComparer.Ordinal);
            if (!before.SetEquals(now))
            {
                throw new BackupException("DisksChanged", KvmErrorKind.InvalidOperation, vm,
                    $"-Incremental: VM '{vm}' has the disks {string.Join(", ", now.Order())}, its last backup had {string.Join(", ", before.Order())}. Make a full backup into a new directory.");
            }
            index = chain.Chain.Count;
        }
        else
        {
            if (chain is not null && chain.Chain.Count > 0)
            {
                throw new BackupException("BackupChainExists", KvmErrorKind.AlreadyExists, dest.Path,
                    $"'{dest.Path}' already holds {chain.Chain.Count} backup(s) of VM '{vm}': give -Incremental to add to that chain, or an empty directory for a new full backup.");
            }
            if (dest.HasOtherFiles)
            {
                throw new BackupException("DestinationNotEmpty", KvmErrorKind.AlreadyExists, dest.Path,
                    $"'{dest.Path}' holds files that are not a backup of VM '{vm}': give an empty or new directory.");
            }
            index = 0;
        }
        bool bitmaps = disks.All(d => d.CanHoldBitmap);
        if (!bitmaps)
        {
            var why = disks.Where(d => !d.CanHoldBitmap).Select(d => $"{d.Target} ({(d.Format == "qcow2" ? "qcow2 v2" : d.Format ?? "unknown format")})");
            if (r.Incremental)
            {
                throw new BackupException("IncrementalNeedsQcow2v3", KvmErrorKind.InvalidOperation, vm,
                    $"-Incremental needs a persistent dirty bitmap on every disk, which only qcow2 v3 holds; VM '{vm}' has {string.Join(", ", why)}.");
            }
            notes.Add($"No checkpoint is made: {string.Join(", ", why)} cannot hold a dirty bitmap (only qcow2 v3 can; 'qemu-img amend -o compat=v3' upgrades a shut-off qcow2 v2 disk), so no incremental backup can follow this one.");
        }
        var planned = disks.Select(d => new BackupPlannedDisk(d, DiskFile(index, d.Target), Path.Combine(dest.Path, DiskFile(index, d.Target)))).ToList();
        ulong estimate = r.Incremental ? 0 : disks.Aggregate(0UL, (sum, d) => sum + d.AllocationBytes);
        if (dest.AvailableBytes is ulong free && estimate > free)
        {
            throw new BackupException("DestinationFull", KvmErrorKind.WriteFailed, dest.Path,
                $"VM '{vm}' was not backed up: its disks take {SizeText.Format(estimate)}, '{dest.Path}' has {SizeText.Format(free)} free.");
        }
        string? checkpoint = bitmaps ? $"kvmps-backup-{r.NowUtc:yyyyMMdd'T'HHmmssfff'Z'}" : null;
        if (checkpoint is not null && r.VmCheckpoints.Contains(checkpoint))
        {
            checkpoint += $"-{index}";
        }
        var kind = r.Incremental ? BackupKinds.Incremental : BackupKinds.Full;
        return new BackupPlan(r, kind, index, checkpoint, parent, startPaused, planned, DefinitionFile(index),
            BackupXml(r.Disks, planned, parent), checkpoint is null ? null : CheckpointXml(checkpoint, r.Disks, planned, index, kind),
            estimate, notes);
    }

    /// <summary>The domainbackup document: push mode, each backed-up disk to its qcow2 file, the others left out.</summary>
    public static string BackupXml(IEnumerable<BackupDiskSource> all, IReadOnlyList<BackupPlannedDisk> planned, string? incrementalSince)
    {
        var files = planned.ToDictionary(p => p.Source.Target, p => p.FullPath, StringComparer.Ordinal);
        var disks = new XElement("disks");
        foreach (BackupDiskSource d in all.Where(d => d.Device is "disk" or "lun"))
        {
            disks.Add(files.TryGetValue(d.Target, out string? file)
                ? new XElement("disk", new XAttribute("name", d.Target), new XAttribute("backup", "yes"), new XAttribute("type", "file"),
                    new XElement("target", new XAttribute("file", file)), new XElement("driver", new XAttribute("type", "qcow2")))
                : new XElement("disk", new XAttribute("name", d.Target), new XAttribute("backup", "no")));
        }
        return new XElement("domainbackup", new XAttribute("mode", "push"),
            incrementalSince is null ? null : new XElement("incremental", incrementalSince), disks).ToString();
    }

    /// <summary>The domaincheckpoint document: a bitmap on each backed-up disk.</summary>
    public static string CheckpointXml(string name, IEnumerable<BackupDiskSource> all, IReadOnlyList<BackupPlannedDisk> planned, int index, string kind)
    {
        var backedUp = planned.Select(p => p.Source.Target).ToHashSet(StringComparer.Ordinal);
        return new XElement("domaincheckpoint", new XElement("name", name),
            new XElement("description", $"KvmPS {kind.ToLowerInvariant()} backup {index}"),
            new XElement("disks", all.Where(d => d.Device is "disk" or "lun").Select(d => new XElement("disk", new XAttribute("name", d.Target),
                new XAttribute("checkpoint", backedUp.Contains(d.Target) ? "bitmap" : "no"))))).ToString();
    }
}

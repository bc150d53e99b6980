using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Backups;
using KvmPS.Engine.Storage;

namespace KvmPS.Commands;

/// <summary>
/// Rebuilds a VM from a backup directory of Backup-KvmVM: the full backup and the incremental ones
/// up to the one asked for, joined into one qcow2 volume per disk in a pool, and the VM defined on
/// them (under its own name and UUID, or with -Name as a copy with a new UUID and MAC addresses).
/// </summary>
[Cmdlet(VerbsData.Restore, "KvmBackup", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVM))]
public sealed class RestoreKvmBackupCommand : StorageCmdlet
{
    /// <summary>The backup directory (holds manifest.json).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Restores a copy under this name: a new UUID and new MAC addresses. Without it the VM gets its own name and UUID back (refused while a VM of that name exists).</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty, ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? Name { get; set; }

    /// <summary>The running pool for the restored volumes; by default the pool that held the backed-up disks, else 'default'.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty, ArgumentCompleter(typeof(StoragePoolNameCompleter))]
    public string? Pool { get; set; }

    /// <summary>Restores the state of the backup that made this checkpoint (the chain up to it); the newest backup by default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty, ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? Checkpoint { get; set; }

    protected override string FailureErrorId => "RestoreFailed";

    protected override void ProcessRecordCore()
    {
        string dir = GetUnresolvedProviderPathFromPSPath(Path);
        CurrentTarget = dir;
        if (Name is not null && ObjectName.Validate("VM", Name) is string badName)
        {
            WriteError(ErrorHelper.InvalidArgument(badName, "InvalidName", Name));
            return;
        }
        LibvirtConnection conn = GetConnection();
        RestorePlan plan;
        StoragePool? pool = null;
        try
        {
            BackupManifest m;
            try
            {
                m = BackupManifest.TryLoad(dir) ?? throw new BackupException("BackupManifestNotFound", KvmErrorKind.NotFound, dir,
                    $"'{dir}' holds no backup: there is no {BackupManifest.FileName} in it.");
            }
            catch (InvalidDataException e)
            {
                throw new BackupException("InvalidBackupManifest", KvmErrorKind.InvalidArgument, dir, $"'{System.IO.Path.Combine(dir, BackupManifest.FileName)}': {e.Message}", e);
            }
            string? poolName = Pool ?? RestorePlanner.DefaultPool(m, ActivePools(conn));
            if (poolName is null)
            {
                throw new BackupException("PoolRequired", KvmErrorKind.InvalidArgument, dir,
                    $"No pool of {conn.Uri} held the backed-up disks and none is named 'default': give -Pool.");
            }
            pool = FindActivePool(conn, poolName);
            if (pool is null)
            {
                return;
            }
            var vms = conn.ListAllDomains().Select(h => { using (h) { return LibvirtConnection.GetName(h); } }).ToHashSet(StringComparer.Ordinal);
            var volumes = pool.ListVolumes().Select(v => { using (v) { return v.Name; } }).ToHashSet(StringComparer.Ordinal);
            plan = RestorePlanner.Plan(dir, m, Name, poolName, Checkpoint, null, vms, volumes, File.Exists);
        }
        catch (BackupException e)
        {
            pool?.Dispose();
            WriteError(ErrorHelper.Refusal(e.Kind, e.Message, e.ErrorId, e.Target));
            return;
        }
        using (pool)
        {
            CurrentTarget = plan.VmName;
            if (!ShouldProcess(plan.VmName, plan.Describe()))
            {
                return;
            }
            var progress = new ProgressRecord(1, $"Restoring VM '{plan.VmName}' from {plan.Chain.Count} backup(s)", "Starting");
            var throttle = new ProgressThrottle();
            void Report(BackupProgress p)
            {
                if (!throttle.Due(final: p.Percent is <= 0 or >= 100))
                {
                    return;
                }
                progress.StatusDescription = p.Status;
                progress.PercentComplete = Math.Clamp(p.Percent, -1, 100);
                WriteProgress(progress);
            }
            KvmVM vm;
            try
            {
                // Once Ctrl+C stops the pipeline every Write* throws; the clean-up must still run to its end.
                vm = new RestoreRunner(conn, plan, p => Quietly(() => Report(p)), m => Quietly(() => WriteVerbose(m)), m => Quietly(() => WriteWarning(m))).Run(pool, CancelToken);
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
            catch (BackupException e)
            {
                WriteError(ErrorHelper.Refusal(e.Kind, e.Message, e.ErrorId, e.Target));
                return;
            }
            finally
            {
                progress.RecordType = ProgressRecordType.Completed;
                Quietly(() => WriteProgress(progress));
            }
            WriteVerbose($"Restored VM '{vm.Name}' in {throttle.Elapsed.TotalSeconds:0.0} s.");
            WriteObject(vm);
        }
    }

    private static void Quietly(Action write)
    {
        try
        {
            write();
        }
        catch (PipelineStoppedException)
        {
            // Stopping: the message has nowhere to go.
        }
    }

    private static List<(string Name, string? Path)> ActivePools(LibvirtConnection conn)
    {
        var list = new List<(string, string?)>();
        foreach (StoragePool p in StoragePool.ListAll(conn))
        {
            using (p)
            {
                if (p.IsActive)
                {
                    list.Add((p.Name, p.GetDefinition(inactive: false).Path));
                }
            }
        }
        return list;
    }
}

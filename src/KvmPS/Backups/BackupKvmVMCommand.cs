using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Backups;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>
/// Backs up a VM's disks, definition and a manifest into a directory through libvirt's backup API
/// (push mode): a full backup, or with -Incremental only what changed since the last backup there.
/// </summary>
[Cmdlet(VerbsData.Backup, "KvmVM", SupportsShouldProcess = true)]
[OutputType(typeof(KvmBackup))]
public sealed class BackupKvmVMCommand : KvmVMCmdlet
{
    /// <summary>The backup directory on this machine (made if missing): empty for a full backup, the chain's for -Incremental.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = "";

    /// <summary>Copies only the clusters changed since the last backup in -Destination (its checkpoint); needs qcow2 v3 disks.</summary>
    [Parameter]
    public SwitchParameter Incremental { get; set; }

    /// <summary>Writes the definition with the secrets libvirt shows only on request (graphics passwords), as Export-KvmVM -IncludeSecrets.</summary>
    [Parameter]
    public SwitchParameter IncludeSecrets { get; set; }

    protected override string FailureErrorId => "BackupFailed";

    protected override void ProcessVM(LibvirtConnection conn, DomainHandle h, string name)
    {
        string dir = GetUnresolvedProviderPathFromPSPath(Destination);
        BackupPlan plan;
        try
        {
            plan = BackupPlanner.Plan(BackupInspector.Read(conn, h, dir, Incremental, DateTime.UtcNow));
        }
        catch (BackupException e)
        {
            WriteError(ErrorHelper.Refusal(e.Kind, e.Message, e.ErrorId, e.Target));
            return;
        }
        foreach (string note in plan.Notes)
        {
            WriteVerbose(note);
        }
        WriteDebug($"Backup XML:{Environment.NewLine}{plan.BackupXml}{Environment.NewLine}Checkpoint XML:{Environment.NewLine}{plan.CheckpointXml}");
        if (!ShouldProcess(name, plan.Describe()))
        {
            return;
        }
        WriteVerbose(plan.Describe());
        var progress = new ProgressRecord(1, $"Backing up VM '{name}' ({plan.Kind.ToLowerInvariant()})", "Starting");
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
        var warnings = new List<string>();
        BackupResult result;
        try
        {
            // Once Ctrl+C stops the pipeline every Write* throws; the clean-up must still run to its end.
            result = new BackupRunner(conn, h, plan, p => Quietly(() => Report(p)), m => Quietly(() => WriteVerbose(m)), warnings.Add).Run(IncludeSecrets, CancelToken);
        }
        catch (OperationCanceledException)
        {
            Quietly(() => warnings.ForEach(WriteWarning));
            throw new PipelineStoppedException();
        }
        catch (BackupException e)
        {
            warnings.ForEach(WriteWarning);
            WriteError(ErrorHelper.Refusal(e.Kind, e.Message + " Nothing of this backup was kept.", e.ErrorId, e.Target));
            return;
        }
        catch (LibvirtException e) when (conn.IsAlive)
        {
            warnings.ForEach(WriteWarning);
            string id = e.Kind == KvmErrorKind.NotSupported ? "BackupNotSupported" : FailureErrorId;
            WriteError(ErrorHelper.Libvirt(e, id, name, $"VM '{name}' was not backed up (nothing of this backup was kept)"));
            return;
        }
        catch (Exception e) when (ErrorHelper.CategoryOfHostFailure(e) is ErrorCategory category)
        {
            warnings.ForEach(WriteWarning);
            WriteError(ErrorHelper.Create(e, FailureErrorId, category, dir, $"VM '{name}' was not backed up (nothing of this backup was kept): {e.Message}"));
            return;
        }
        finally
        {
            progress.RecordType = ProgressRecordType.Completed;
            Quietly(() => WriteProgress(progress));
        }
        warnings.ForEach(WriteWarning);
        WriteVerbose($"Backed up {result.Entry.Disks.Count} disk(s) of '{name}' in {throttle.Elapsed.TotalSeconds:0.0} s; the job copied {result.Entry.BytesCopied} bytes.");
        WriteObject(BackupView.Describe(result.Manifest, result.Entry, result.Directory, conn.Uri));
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
}

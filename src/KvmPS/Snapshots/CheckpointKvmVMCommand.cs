using System.Management.Automation;
using System.Xml.Linq;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;
using KvmPS.Engine.Snapshots;
using KvmPS.Engine.Storage;

namespace KvmPS.Commands;

/// <summary>
/// Takes a snapshot of virtual machines: internal (in the qcow2 images) where that works, external
/// (overlay files, memory in a file) where it is needed; the choice and its reason are in -Verbose
/// and in the snapshot's Reason.
/// </summary>
[Cmdlet(VerbsData.Checkpoint, "KvmVM", SupportsShouldProcess = true)]
[OutputType(typeof(KvmSnapshot))]
public sealed class CheckpointKvmVMCommand : KvmVMCmdlet
{
    /// <summary>Name of the new snapshot (unique within the VM).</summary>
    [Parameter(Mandatory = true)]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string SnapshotName { get; set; } = "";

    /// <summary>Free text kept with the snapshot.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? Description { get; set; }

    /// <summary>Only the disks (an external snapshot with overlay files), not the memory of a running VM.</summary>
    [Parameter]
    public SwitchParameter DiskOnly { get; set; }

    /// <summary>Also keep a running VM's memory when the snapshot has to be external (internal snapshots of running VMs always keep it).</summary>
    [Parameter]
    [Alias("Memory")]
    public SwitchParameter IncludeMemory { get; set; }

    /// <summary>Freeze the guest's file systems through its guest agent while the disks are captured (a disk-only snapshot).</summary>
    [Parameter]
    public SwitchParameter Quiesce { get; set; }

    protected override void ProcessVM(LibvirtConnection conn, DomainHandle h, string name)
    {
        var request = new SnapshotRequest(name, SnapshotName, Description, DiskOnly, IncludeMemory, Quiesce);
        SnapshotPlan plan;
        try
        {
            bool active = DomainService.IsActive(h);
            XElement def = SafeXml.Parse(active ? LibvirtConnection.GetXml(h) : DomainService.GetInactiveXml(h));
            bool local = conn.IsLocal;
            plan = SnapshotPlanner.Plan(request, def, active, SnapshotService.Names(h),
                p => local ? File.Exists(p) : HostVolumes.Find(conn, p) is not null);
        }
        catch (VmRequestException e)
        {
            WriteError(ErrorHelper.Refusal(e.Kind, e.Message, e.ErrorId, e.Target));
            return;
        }
        WriteVerbose($"Snapshot '{SnapshotName}' of VM '{name}': {plan.Reason}.");
        string files = plan.CreatedFiles.Any() ? $" (new files: {string.Join(", ", plan.CreatedFiles)})" : "";
        if (!ShouldProcess(name, $"Take {plan.Kind.ToString().ToLowerInvariant()} snapshot '{SnapshotName}'{files}"))
        {
            return;
        }
        SnapshotService.Create(h, plan);
        if (DomainService.IsPersistent(h))
        {
            DomainEditor.EditConfig(conn, h, config => SnapshotRecord.Add(config, plan));
        }
        WriteEngineWarnings();
        WriteSnapshot(conn, h, SnapshotName);
    }

    private void WriteSnapshot(LibvirtConnection conn, DomainHandle h, string snap) =>
        WriteObject(SnapshotReader.Read(conn, h).Single(s => s.Name == snap));
}

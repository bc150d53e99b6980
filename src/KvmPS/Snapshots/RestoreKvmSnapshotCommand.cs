using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Native;
using KvmPS.Engine.Snapshots;

namespace KvmPS.Commands;

/// <summary>
/// Restores a VM to a snapshot: its disks (and, for a snapshot with memory, its running state) as
/// they were then. Internal snapshots are reverted by libvirt; external ones on a libvirt before 9.9
/// by KvmPS (new overlays on the frozen images; with memory, the guest resumed from the memory file
/// onto them, every step undone on a failure); what neither can do is refused with the reason.
/// </summary>
[Cmdlet(VerbsData.Restore, "KvmSnapshot", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(KvmSnapshot))]
public sealed class RestoreKvmSnapshotCommand : KvmSnapshotCmdlet
{
    /// <summary>Does not ask for confirmation.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Returns the restored snapshot.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessSnapshot(LibvirtConnection conn, DomainHandle h, string vm, string name)
    {
        RevertPlan plan = SnapshotReverter.Plan(conn, h, name);
        WriteVerbose($"VM '{vm}': {plan.Description}.");
        if (!ShouldProcess($"{vm}/{name}", plan.Description, Force))
        {
            return;
        }
        SnapshotReverter.Apply(conn, h, plan, WriteVerbose);
        if (PassThru)
        {
            WriteSnapshot(conn, h, name);
        }
    }
}

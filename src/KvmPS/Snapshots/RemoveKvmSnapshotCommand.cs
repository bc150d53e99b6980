using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Native;
using KvmPS.Engine.Snapshots;

namespace KvmPS.Commands;

/// <summary>
/// Removes snapshots. External ones of a running VM are merged back into the images under them
/// with block commits (progress shown; Ctrl+C aborts the job and leaves the VM on its overlay);
/// libvirt merges those of a stopped VM itself. Overlay files KvmPS made go with their snapshot.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "KvmSnapshot", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveKvmSnapshotCommand : KvmSnapshotCmdlet
{
    /// <summary>Also removes the snapshots taken on top of this one (newest first).</summary>
    [Parameter]
    public SwitchParameter IncludeChildren { get; set; }

    /// <summary>Bytes per second a block commit of a running VM may use (0: no limit), so the merge leaves the disks to the guest.</summary>
    [Parameter]
    public ulong Bandwidth { get; set; }

    /// <summary>Does not ask for confirmation.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessSnapshot(LibvirtConnection conn, DomainHandle h, string vm, string name)
    {
        var all = SnapshotReader.Read(conn, h);
        KvmSnapshot s = all.FirstOrDefault(x => x.Name == name)
            ?? throw new LibvirtException("virDomainSnapshotLookupByName", LibvirtErrorCode.NoDomainSnapshot, 0, $"no snapshot named '{name}'");
        if (s.Children.Length > 0 && !IncludeChildren)
        {
            WriteVerbose($"Snapshot '{name}' has children ({string.Join(", ", s.Children)}); they stay, on '{name}''s parent.");
        }
        var order = SnapshotRemover.Order(all, name, IncludeChildren);
        string what = order.Count > 1 ? $"Remove snapshots {string.Join(", ", order)}" : $"Remove snapshot '{name}'";
        if (!ShouldProcess(vm, what, Force))
        {
            return;
        }
        var progress = new ProgressRecord(1, $"Removing snapshot of VM '{vm}'", "Starting");
        try
        {
            foreach (string n in order)
            {
                SnapshotRemover.RemoveOne(conn, h, n, Bandwidth, (disk, cur, end) =>
                {
                    progress.Activity = $"Merging snapshot '{n}' of VM '{vm}'";
                    progress.StatusDescription = $"Disk {disk}: {cur / 1048576} of {end / 1048576} MiB";
                    progress.PercentComplete = end == 0 ? 0 : (int)Math.Min(100, cur * 100 / end);
                    WriteProgress(progress);
                }, WriteVerbose, CancelToken);
                WriteVerbose($"Removed snapshot '{n}' of VM '{vm}'.");
            }
        }
        finally
        {
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }
    }
}

using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Native;
using KvmPS.Engine.Snapshots;

namespace KvmPS.Commands;

/// <summary>Renames a snapshot (children, the current mark and KvmPS's record follow).</summary>
[Cmdlet(VerbsCommon.Rename, "KvmSnapshot", SupportsShouldProcess = true)]
[OutputType(typeof(KvmSnapshot))]
public sealed class RenameKvmSnapshotCommand : KvmSnapshotCmdlet
{
    /// <summary>The new name (unique within the VM).</summary>
    [Parameter(Mandatory = true, Position = 2)]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string NewName { get; set; } = "";

    /// <summary>Returns the renamed snapshot.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessSnapshot(LibvirtConnection conn, DomainHandle h, string vm, string name)
    {
        SnapshotService.GetXml(h, name); // a missing snapshot is reported before anything else
        if (!ShouldProcess($"{vm}/{name}", $"Rename snapshot to '{NewName}'"))
        {
            return;
        }
        SnapshotEditor.Rename(conn, h, name, NewName);
        if (PassThru)
        {
            WriteSnapshot(conn, h, NewName);
        }
    }
}

using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Native;
using KvmPS.Engine.Snapshots;

namespace KvmPS.Commands;

/// <summary>Changes a snapshot's description.</summary>
[Cmdlet(VerbsCommon.Set, "KvmSnapshot", SupportsShouldProcess = true)]
[OutputType(typeof(KvmSnapshot))]
public sealed class SetKvmSnapshotCommand : KvmSnapshotCmdlet
{
    /// <summary>The new description; an empty string removes it.</summary>
    [Parameter(Mandatory = true)]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string Description { get; set; } = "";

    /// <summary>Returns the changed snapshot.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessSnapshot(LibvirtConnection conn, DomainHandle h, string vm, string name)
    {
        SnapshotService.GetXml(h, name);
        if (!ShouldProcess($"{vm}/{name}", "Set the snapshot's description"))
        {
            return;
        }
        SnapshotEditor.SetDescription(h, name, Description);
        if (PassThru)
        {
            WriteSnapshot(conn, h, name);
        }
    }
}

using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>
/// Makes a new VM from an existing one: its disks copied through the storage API (or, with
/// -Linked, qcow2 overlays on the original's images), a new UUID and new MAC addresses.
/// </summary>
[Cmdlet(VerbsCommon.Copy, "KvmVM", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVM))]
public sealed class CopyKvmVMCommand : KvmVMCmdlet
{
    /// <summary>Name of the new VM.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string NewName { get; set; } = "";

    /// <summary>Overlays on the original's disk images instead of full copies (fast, small; the original's images must not change afterwards).</summary>
    [Parameter]
    public SwitchParameter Linked { get; set; }

    protected override void ProcessVM(LibvirtConnection conn, DomainHandle h, string name)
    {
        try
        {
            VmCloner.Check(conn, h, name, NewName, Linked);
        }
        catch (VmRequestException e)
        {
            WriteError(ErrorHelper.Refusal(e.Kind, e.Message, e.ErrorId, e.Target));
            return;
        }
        if (!ShouldProcess(name, $"Copy VM to '{NewName}'{(Linked ? " (linked: overlays on its disks)" : " (full copies of its disks)")}"))
        {
            return;
        }
        List<string> notes;
        try
        {
            notes = VmCloner.Clone(conn, h, NewName, Linked, CancelToken);
        }
        catch (VmRequestException e)
        {
            WriteError(ErrorHelper.Refusal(e.Kind, e.Message, e.ErrorId, e.Target));
            return;
        }
        notes.ForEach(WriteVerbose);
        WriteEngineWarnings();
        WriteObject(DomainService.Get(conn, NewName));
    }
}

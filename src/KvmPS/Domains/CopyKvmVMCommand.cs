using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>
/// Makes a new VM from an existing one: its disks copied through the storage API (or, with
/// -Linked, qcow2 overlays on the original's images), a new UUID and new MAC addresses; in
/// another pool (-DestinationPool) or on another host (-DestinationUri/-DestinationConnection,
/// the disks streamed from one host's volume API to the other's).
/// </summary>
[Cmdlet(VerbsCommon.Copy, "KvmVM", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVM))]
public sealed class CopyKvmVMCommand : KvmVMCmdlet
{
    private static int s_activity = 43_000;

    /// <summary>Name of the new VM.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string NewName { get; set; } = "";

    /// <summary>Overlays on the original's disk images instead of full copies (fast, small; the original's images must not change afterwards).</summary>
    [Parameter]
    public SwitchParameter Linked { get; set; }

    /// <summary>The running pool the copy's disks are made in (on the destination host with -DestinationUri); by default the pool of each original disk (its name, on another host).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty, ArgumentCompleter(typeof(StoragePoolNameCompleter))]
    public string? DestinationPool { get; set; }

    /// <summary>libvirt URI of another host to make the copy on; its disks are streamed from this host's volume API to that host's.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty, ArgumentCompleter(typeof(UriCompleter))]
    public string? DestinationUri { get; set; }

    /// <summary>A connection (Connect-KvmHost -PassThru, Get-KvmConnection) to the host to make the copy on, instead of -DestinationUri.</summary>
    [Parameter]
    public KvmConnection? DestinationConnection { get; set; }

    /// <summary>On another host: the copy keeps the original's UUID and MAC addresses (a new UUID and new MACs without it).</summary>
    [Parameter]
    public SwitchParameter KeepId { get; set; }

    protected override void ProcessVM(LibvirtConnection conn, DomainHandle h, string name)
    {
        if (DestinationUri is not null && DestinationConnection is not null)
        {
            WriteError(ErrorHelper.InvalidArgument("Give -DestinationUri or -DestinationConnection, not both.", "DestinationTwice", name));
            return;
        }
        string? destUri = DestinationConnection is null ? DestinationUri : ConnectionUri.Of(DestinationConnection);
        if (destUri is not null)
        {
            CopyToHost(conn, h, name, Session.GetConnection(destUri, WriteVerbose, CancelToken));
            return;
        }
        if (KeepId)
        {
            WriteError(ErrorHelper.InvalidArgument("-KeepId is for a copy on another host: two VMs of one host cannot share a UUID.", "KeepIdSameHost", name));
            return;
        }
        try
        {
            VmCloner.Check(conn, h, name, NewName, Linked, DestinationPool);
        }
        catch (VmRequestException e)
        {
            WriteError(ErrorHelper.Refusal(e.Kind, e.Message, e.ErrorId, e.Target));
            return;
        }
        string where = DestinationPool is null ? "" : $" in pool '{DestinationPool}'";
        if (!ShouldProcess(name, $"Copy VM to '{NewName}'{(Linked ? " (linked: overlays on its disks)" : " (full copies of its disks)")}{where}"))
        {
            return;
        }
        List<string> notes;
        try
        {
            notes = VmCloner.Clone(conn, h, NewName, Linked, CancelToken, DestinationPool);
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

    private void CopyToHost(LibvirtConnection conn, DomainHandle h, string name, LibvirtConnection dest)
    {
        VmHostCopyPlan plan;
        try
        {
            plan = VmHostCopier.Check(conn, h, dest, NewName, DestinationPool, Linked, KeepId);
        }
        catch (VmRequestException e)
        {
            WriteError(ErrorHelper.Refusal(e.Kind, e.Message, e.ErrorId, e.Target));
            return;
        }
        string action = $"Copy VM to '{NewName}' on {dest.Uri}, streaming {plan.Disks.Count} disk(s) ({plan.TotalBytes} bytes){(KeepId ? ", keeping its UUID and MAC addresses" : "")}";
        if (!ShouldProcess(name, action))
        {
            return;
        }
        var progress = new TransferProgress(this, Interlocked.Increment(ref s_activity), $"Copying VM '{name}' to {dest.Uri}");
        List<string> notes;
        try
        {
            notes = VmHostCopier.Copy(conn, h, dest, plan, progress.Report, progress.Verbose, progress.Warn, CancelToken);
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        catch (VmRequestException e)
        {
            WriteError(ErrorHelper.Refusal(e.Kind, e.Message, e.ErrorId, e.Target));
            return;
        }
        finally
        {
            progress.Complete();
        }
        notes.ForEach(WriteVerbose);
        WriteObject(DomainService.Get(dest, NewName));
    }
}

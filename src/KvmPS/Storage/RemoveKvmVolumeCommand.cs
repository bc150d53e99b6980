using System.Management.Automation;
using KvmPS.Engine.Storage;

namespace KvmPS.Commands;

/// <summary>Deletes a volume and its data from a storage pool.</summary>
[Cmdlet(VerbsCommon.Remove, "KvmVolume", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
public sealed class RemoveKvmVolumeCommand : StorageVolumeCmdlet
{
    /// <summary>Does not ask for confirmation, and deletes the volume even though VMs use it (as a disk or under an overlay).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override string FailureErrorId => "RemoveVolumeFailed";

    protected override void ProcessRecordCore()
    {
        using StorageVolume? vol = FindTargetVolume();
        if (vol is null)
        {
            return;
        }
        string target = VolumeTarget;
        VolumeDefinition d = vol.GetDefinition();
        IReadOnlyList<string> users = d.Path is null ? Array.Empty<string>() : StorageUsage.Read(vol.Connection).UsersOf(d.Path);
        if (users.Count > 0 && !Force)
        {
            WriteError(ErrorHelper.Create(
                new InvalidOperationException($"Volume '{target}' ({d.Path}) is used by VM(s) {string.Join(", ", users)} (as a disk or under an overlay). Remove it from them first, or use -Force to delete it anyway."),
                "StorageInUse", ErrorCategory.ResourceBusy, target));
            return;
        }
        if (ShouldProcess(target, $"Delete volume and its data ({d.Path}, {FormatSize(d.CapacityBytes)})", Force))
        {
            vol.Delete();
            WriteVerbose($"Deleted volume '{target}'.");
        }
    }
}

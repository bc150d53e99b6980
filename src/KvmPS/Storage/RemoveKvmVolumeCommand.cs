using System.Management.Automation;
using KvmPS.Engine.Storage;

namespace KvmPS.Commands;

/// <summary>Deletes a volume and its data from a storage pool.</summary>
[Cmdlet(VerbsCommon.Remove, "KvmVolume", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
public sealed class RemoveKvmVolumeCommand : StorageVolumeCmdlet
{
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
        if (ShouldProcess(target, $"Delete volume and its data ({d.Path}, {FormatSize(d.CapacityBytes)})"))
        {
            vol.Delete();
            WriteVerbose($"Deleted volume '{target}'.");
        }
    }
}

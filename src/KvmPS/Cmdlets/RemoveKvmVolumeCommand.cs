using System.Management.Automation;
using KvmPS.Engine.Storage;

namespace KvmPS.Commands;

/// <summary>Deletes a volume and its data from a storage pool.</summary>
[Cmdlet(VerbsCommon.Remove, "KvmVolume", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
public sealed class RemoveKvmVolumeCommand : StorageCmdlet
{
    /// <summary>The pool that holds the volume.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StoragePoolNameCompleter))]
    public string Pool { get; set; } = "";

    /// <summary>The volume's name.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StorageVolumeNameCompleter))]
    public string Name { get; set; } = "";

    protected override string FailureErrorId => "RemoveVolumeFailed";

    protected override void ProcessRecordCore()
    {
        string target = $"{Pool}/{Name}";
        CurrentTarget = target;
        using StorageVolume? vol = FindVolume(GetConnection(), Pool, Name);
        if (vol is null)
        {
            return;
        }
        VolumeDefinition d = vol.GetDefinition();
        if (ShouldProcess(target, $"Delete volume and its data ({d.Path}, {FormatSize(d.CapacityBytes)})"))
        {
            vol.Delete();
            WriteVerbose($"Deleted volume '{target}'.");
        }
    }
}

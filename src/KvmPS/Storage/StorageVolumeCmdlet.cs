using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Storage;

namespace KvmPS.Commands;

/// <summary>Base of the cmdlets that act on one volume given by -Pool and -Name (New, Resize, Remove).</summary>
public abstract class StorageVolumeCmdlet : StorageCmdlet
{
    /// <summary>The pool that holds the volume (it must be running). Volumes from Get-KvmVolume bind by their Pool.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StoragePoolNameCompleter))]
    public string Pool { get; set; } = "";

    /// <summary>The volume's name (in a Dir pool, its file name).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StorageVolumeNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>"pool/volume", the target of this cmdlet's errors.</summary>
    private protected string VolumeTarget => $"{Pool}/{Name}";

    /// <summary>The volume named by -Pool and -Name, or null after writing an error.</summary>
    private protected StorageVolume? FindTargetVolume()
    {
        CurrentTarget = VolumeTarget;
        return FindVolume(GetConnection(), Pool, Name);
    }
}

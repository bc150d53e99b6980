using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Storage;

namespace KvmPS.Commands;

/// <summary>
/// Base of the cmdlets that act on one volume given by its pool and -Name (New, Resize, Remove).
/// The pool is -Pool (a name), or a pool from Get-KvmStoragePool through the pipeline (-PoolObject,
/// found by UUID); a volume from Get-KvmVolume binds by its Pool and Name.
/// </summary>
public abstract class StorageVolumeCmdlet : StorageCmdlet
{
    /// <summary>The pool that holds the volume (it must be running). Volumes from Get-KvmVolume bind by their Pool.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StoragePoolNameCompleter))]
    public string Pool { get; set; } = "";

    /// <summary>A pool from Get-KvmStoragePool (through the pipeline), instead of -Pool: that exact pool, on the host it came from.</summary>
    [Parameter(ValueFromPipeline = true)]
    [KvmKind(typeof(KvmStoragePool), typeof(KvmVolume))]
    public KvmStoragePool? PoolObject { get; set; }

    /// <summary>The volume's name (in a Dir pool, its file name).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StorageVolumeNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>"pool/volume", the target of this cmdlet's errors.</summary>
    private protected string VolumeTarget => $"{PoolObject?.Name ?? Pool}/{Name}";

    /// <summary>
    /// The running pool the volume is in, or null after writing an error: no pool given, both
    /// -Pool and a pool object, or a piped pool whose own name was taken for the volume's -Name.
    /// </summary>
    private protected StoragePool? FindTargetPool()
    {
        CurrentTarget = VolumeTarget;
        if (PoolObject is null)
        {
            if (string.IsNullOrEmpty(Pool))
            {
                WriteInvalid(new ArgumentException("Give the storage pool: -Pool <name>, or pipe a pool from Get-KvmStoragePool."), "PoolRequired", Name);
                return null;
            }
            return FindActivePool(GetConnection(), Pool);
        }
        if (IsBound(nameof(Pool)) && !string.Equals(Pool, PoolObject.Name, StringComparison.Ordinal))
        {
            WriteInvalid(new ArgumentException($"Both -Pool '{Pool}' and the storage pool '{PoolObject.Name}' were given: give one."), "PoolGivenTwice", PoolObject.Name);
            return null;
        }
        if (IsFromPipeline(nameof(Name)) && IsFromPipeline(nameof(PoolObject)))
        {
            WriteInvalid(new ArgumentException($"The storage pool '{PoolObject.Name}' came through the pipeline without a volume name: give -Name (a pool's name is not taken for a volume's)."),
                "VolumeNameRequired", PoolObject.Name);
            return null;
        }
        return FindActivePool(GetConnection(PoolObject.Uri), PoolObject);
    }

    /// <summary>The volume named by its pool and -Name, or null after writing an error.</summary>
    private protected StorageVolume? FindTargetVolume()
    {
        using StoragePool? pool = FindTargetPool();
        CurrentTarget = VolumeTarget;
        return pool is null ? null : FindVolume(pool, Name);
    }
}

using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Storage;

namespace KvmPS.Commands;

/// <summary>Base of the cmdlets that act on pools named by -Name (Start, Stop, Set, Remove).</summary>
public abstract class StoragePoolActionCmdlet : StorageCmdlet
{
    /// <summary>Names of the pools (exact names).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Name", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StoragePoolNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Pools from Get-KvmStoragePool: each names exactly that pool (by UUID) on the host it came from.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "InputObject", ValueFromPipeline = true)]
    [KvmKind(typeof(KvmStoragePool))]
    public KvmStoragePool[] InputObject { get; set; } = Array.Empty<KvmStoragePool>();

    protected sealed override void ProcessRecordCore()
    {
        if (ParameterSetName == "InputObject")
        {
            ForEachPool(InputObject, ProcessPool);
        }
        else
        {
            ForEachPool(Name, ProcessPool);
        }
    }

    /// <summary>The work for one pool; libvirt failures become an error for that pool only.</summary>
    private protected abstract void ProcessPool(StoragePool pool);
}

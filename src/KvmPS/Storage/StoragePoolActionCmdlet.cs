using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Storage;

namespace KvmPS.Commands;

/// <summary>Base of the cmdlets that act on pools named by -Name (Start, Stop, Set, Remove).</summary>
public abstract class StoragePoolActionCmdlet : StorageCmdlet
{
    /// <summary>Names of the pools. Pools from Get-KvmStoragePool bind by their Name (and Uri).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StoragePoolNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    protected sealed override void ProcessRecordCore() => ForEachPool(Name, ProcessPool);

    /// <summary>The work for one pool; libvirt failures become an error for that pool only.</summary>
    private protected abstract void ProcessPool(StoragePool pool);
}

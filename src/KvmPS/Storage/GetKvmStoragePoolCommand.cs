using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Storage;

namespace KvmPS.Commands;

/// <summary>Lists storage pools: type, target path, state, sizes, autostart.</summary>
[Cmdlet(VerbsCommon.Get, "KvmStoragePool", DefaultParameterSetName = "Name")]
[OutputType(typeof(KvmStoragePool))]
public sealed class GetKvmStoragePoolCommand : StorageCmdlet
{
    /// <summary>Pool names: wildcards are case-insensitive, a literal name matches exactly. All pools when left out.</summary>
    [Parameter(Position = 0, ParameterSetName = "Name", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StoragePoolNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Pools to read again as they are now, each by its UUID on the host it came from.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "InputObject", ValueFromPipeline = true)]
    [KvmKind(typeof(KvmStoragePool))]
    public KvmStoragePool[] InputObject { get; set; } = Array.Empty<KvmStoragePool>();

    protected override void ProcessRecordCore()
    {
        if (ParameterSetName == "InputObject")
        {
            ForEachPool(InputObject, pool => WriteObject(pool.Describe()));
            return;
        }
        LibvirtConnection conn = GetConnection();
        List<StoragePool> pools = StoragePool.ListAll(conn);
        try
        {
            var ordered = pools.OrderBy(p => p.Name, StringComparer.Ordinal);
            foreach (StoragePool pool in SelectByName(ordered, p => p.Name, Name, "storage pool", "StoragePoolNotFound"))
            {
                CurrentTarget = pool.Name;
                KvmStoragePool described;
                try
                {
                    described = pool.Describe();
                }
                catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoStoragePool)
                {
                    // Removed by someone else since the listing: it is simply no longer there.
                    continue;
                }
                WriteObject(described);
            }
        }
        finally
        {
            pools.ForEach(p => p.Dispose());
        }
    }
}

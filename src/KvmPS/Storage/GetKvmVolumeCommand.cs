using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Storage;

namespace KvmPS.Commands;

/// <summary>Lists the volumes of running storage pools: format, virtual size, allocation, backing image.</summary>
[Cmdlet(VerbsCommon.Get, "KvmVolume", DefaultParameterSetName = ByPoolName)]
[OutputType(typeof(KvmVolume))]
public sealed class GetKvmVolumeCommand : StorageCmdlet
{
    private const string ByPoolName = "ByPoolName";
    private const string ByPoolObject = "ByPoolObject";

    /// <summary>Pool names: wildcards are case-insensitive, a literal name matches exactly. All running pools when left out.</summary>
    [Parameter(Position = 0, ParameterSetName = ByPoolName, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StoragePoolNameCompleter))]
    public string[]? Pool { get; set; }

    /// <summary>A pool from Get-KvmStoragePool, through the pipeline: that exact pool (by UUID), on the host it came from.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByPoolObject)]
    [Alias("PoolObject")]
    [KvmKind(typeof(KvmStoragePool))]
    public KvmStoragePool? InputObject { get; set; }

    /// <summary>Volume names: wildcards are case-insensitive, a literal name matches exactly. All volumes when left out.</summary>
    [Parameter(Position = 1)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StorageVolumeNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Re-reads each pool's storage first, so that files added outside libvirt appear.</summary>
    [Parameter]
    public SwitchParameter Refresh { get; set; }

    protected override void ProcessRecordCore()
    {
        LibvirtConnection conn = InputObject is null ? GetConnection() : GetConnection(InputObject.Uri);
        string[]? poolPatterns = InputObject is null ? Pool : new[] { InputObject.Name };
        List<StoragePool> pools;
        if (InputObject is null)
        {
            pools = StoragePool.ListAll(conn);
        }
        else
        {
            // A piped pool names exactly that pool (by UUID), never a wildcard.
            CurrentTarget = InputObject.Name;
            if (FindPool(conn, InputObject) is not StoragePool one)
            {
                return;
            }
            pools = new List<StoragePool> { one };
            poolPatterns = new[] { one.Name };
        }
        try
        {
            var volumes = new List<KvmVolume>();
            foreach (StoragePool pool in SelectByName(pools, p => p.Name, poolPatterns, "storage pool", "StoragePoolNotFound"))
            {
                CurrentTarget = pool.Name;
                if (!pool.IsActive)
                {
                    // Named outright, an inactive pool is an error; found by a wildcard it is skipped.
                    if (poolPatterns?.Any(p => string.Equals(p, pool.Name, StringComparison.Ordinal)) == true)
                    {
                        WriteError(PoolInactive(pool.Name));
                    }
                    else
                    {
                        WriteVerbose($"Skipping storage pool '{pool.Name}': it is not running.");
                    }
                    continue;
                }
                if (Refresh)
                {
                    pool.Refresh();
                }
                volumes.AddRange(ReadVolumes(pool));
            }
            CurrentTarget = null;
            foreach (KvmVolume v in SelectByName(volumes, v => v.Name, Name, "volume", "StorageVolumeNotFound"))
            {
                WriteObject(v);
            }
        }
        finally
        {
            pools.ForEach(p => p.Dispose());
        }
    }

    private static List<KvmVolume> ReadVolumes(StoragePool pool)
    {
        List<StorageVolume> vols = pool.ListVolumes();
        try
        {
            var result = new List<KvmVolume>();
            foreach (StorageVolume v in vols)
            {
                try
                {
                    result.Add(v.Describe());
                }
                catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoStorageVol)
                {
                    // Deleted since the listing.
                }
            }
            return result.OrderBy(v => v.Name, StringComparer.Ordinal).ToList();
        }
        finally
        {
            vols.ForEach(v => v.Dispose());
        }
    }
}

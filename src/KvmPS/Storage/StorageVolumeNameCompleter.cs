using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KvmPS.Engine;
using KvmPS.Engine.Storage;

namespace KvmPS.Commands;

/// <summary>Completes volume names in the pool given by -Pool on the same command line.</summary>
public sealed class StorageVolumeNameCompleter : HostObjectCompleter
{
    private protected override List<string> Names(LibvirtConnection conn, IDictionary fakeBoundParameters)
    {
        string? poolName = fakeBoundParameters["Pool"] switch
        {
            string s => s,
            string[] { Length: 1 } a => a[0],
            _ => null,
        };
        if (poolName is null)
        {
            return new List<string>();
        }
        using StoragePool? pool = StoragePool.TryLookup(conn, poolName);
        if (pool is null || !pool.IsActive)
        {
            return new List<string>();
        }
        var vols = pool.ListVolumes();
        try
        {
            return vols.Select(v => v.Name).ToList();
        }
        finally
        {
            vols.ForEach(v => v.Dispose());
        }
    }
}

using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KvmPS.Engine;
using KvmPS.Engine.Storage;

namespace KvmPS.Commands;

/// <summary>Completes storage pool names.</summary>
public sealed class StoragePoolNameCompleter : HostObjectCompleter
{
    private protected override List<string> Names(LibvirtConnection conn, IDictionary fakeBoundParameters)
    {
        var pools = StoragePool.ListAll(conn);
        try
        {
            return pools.Select(p => p.Name).ToList();
        }
        finally
        {
            pools.ForEach(p => p.Dispose());
        }
    }
}

using System.Collections;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Snapshots;

namespace KvmPS.Commands;

/// <summary>Completes the snapshot names of the VMs given in -VMName (nothing before they are given).</summary>
public sealed class SnapshotNameCompleter : HostObjectCompleter
{
    private protected override List<string> Names(LibvirtConnection conn, IDictionary fakeBoundParameters)
    {
        object? given = fakeBoundParameters["VMName"];
        IEnumerable<string> vms = given switch
        {
            string one => new[] { one },
            IEnumerable many => many.Cast<object>().Select(o => o.ToString() ?? ""),
            _ => Array.Empty<string>(),
        };
        var result = new List<string>();
        foreach (string n in vms)
        {
            using var h = DomainService.TryLookup(conn, n);
            if (h is not null)
            {
                result.AddRange(SnapshotService.Names(h));
            }
        }
        return result;
    }
}

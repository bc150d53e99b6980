using KvmPS.Engine.Storage;

namespace KvmPS.Engine.Migration;

/// <summary>Reads what <see cref="MigrationCheck"/> needs from the destination host, for one VM.</summary>
public static class DestinationFactsReader
{
    public static DestinationFacts Read(LibvirtConnection dest, string domainXml, Guid uuid, string name)
    {
        var networks = new HashSet<string>(StringComparer.Ordinal);
        foreach (var h in dest.ListAllNetworks())
        {
            using (h)
            {
                networks.Add(LibvirtConnection.GetName(h));
            }
        }
        var pools = new HashSet<string>(StringComparer.Ordinal);
        var dirs = new HashSet<string>(StringComparer.Ordinal);
        foreach (StoragePool p in StoragePool.ListAll(dest))
        {
            using (p)
            {
                pools.Add(p.Name);
                if (p.GetDefinition().Path is string path && path.StartsWith('/'))
                {
                    dirs.Add(path.TrimEnd('/'));
                }
            }
        }
        int? cpu = null;
        if (HostCpu.DomainCpuToCompare(domainXml) is string cpuXml)
        {
            string? virtType = (string?)SafeXml.Parse(domainXml).Attribute("type");
            cpu = HostCpu.Compare(dest, cpuXml, virtType);
        }
        return new DestinationFacts
        {
            Networks = networks,
            Pools = pools,
            PoolDirectories = dirs,
            HasVolumeAt = path =>
            {
                using StorageVolume? v = StorageVolume.TryLookupByPath(dest, path);
                return v is not null;
            },
            CpuComparison = cpu,
            HasDomain = Exists(dest, uuid) || Exists(dest, name),
        };
    }

    private static bool Exists(LibvirtConnection conn, Guid uuid)
    {
        try
        {
            conn.LookupDomain(uuid).Dispose();
            return true;
        }
        catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoDomain)
        {
            return false;
        }
    }

    private static bool Exists(LibvirtConnection conn, string name)
    {
        try
        {
            conn.LookupDomain(name).Dispose();
            return true;
        }
        catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoDomain)
        {
            return false;
        }
    }
}

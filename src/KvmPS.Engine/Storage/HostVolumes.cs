namespace KvmPS.Engine.Storage;

/// <summary>
/// Files of a host that is not this machine, seen the only way KvmPS can see them: as volumes of
/// its storage pools, through libvirt. A file that no pool holds cannot be checked from here.
/// </summary>
public static class HostVolumes
{
    /// <summary>
    /// The volume at a host path, or null when no pool holds it. When the first lookup fails, the
    /// active pools whose directory holds the path are refreshed (a file copied there after the
    /// pool was started is not listed until then) and the lookup is made again.
    /// </summary>
    public static (VolumeDefinition Volume, string Pool)? Find(LibvirtConnection conn, string path)
    {
        if (Lookup(conn, path) is { } found)
        {
            return found;
        }
        bool refreshed = false;
        foreach (StoragePool pool in StoragePool.ListAll(conn))
        {
            using (pool)
            {
                if (!pool.IsActive || pool.GetDefinition(inactive: false).Path is not string dir || !Under(path, dir))
                {
                    continue;
                }
                try
                {
                    pool.Refresh();
                    refreshed = true;
                }
                catch (LibvirtException)
                {
                    // A pool that cannot refresh just does not list the file.
                }
            }
        }
        return refreshed ? Lookup(conn, path) : null;
    }

    private static (VolumeDefinition, string)? Lookup(LibvirtConnection conn, string path)
    {
        StorageVolume? vol;
        try
        {
            vol = StorageVolume.TryLookupByPath(conn, path);
        }
        catch (LibvirtException e) when (e.Kind == KvmErrorKind.NotSupported)
        {
            return null; // a driver without storage
        }
        using (vol)
        {
            return vol is null ? null : (vol.GetDefinition(), vol.PoolName);
        }
    }

    private static bool Under(string path, string dir) =>
        path.StartsWith(dir.TrimEnd('/') + "/", StringComparison.Ordinal);
}

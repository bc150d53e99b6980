using KvmPS.Engine.Native;

namespace KvmPS.Engine.Storage;

/// <summary>
/// Makes a new pool real: define, build, start, autostart. When a step after the definition fails,
/// the pool is stopped (if this call started it) and undefined again, so a failed request leaves
/// nothing behind but the error.
/// </summary>
public static class StoragePoolProvisioner
{
    /// <summary>The flags to build a pool with, or null when its type has nothing to build here.</summary>
    public static uint? BuildFlags(StoragePoolDefinition d) => d.Type switch
    {
        // Creates the target directory (the mount point for Fs and NetFs). With no flags libvirt
        // never runs mkfs on an Fs pool's device: existing data stays as it is.
        KvmStoragePoolType.Dir or KvmStoragePoolType.Fs or KvmStoragePoolType.NetFs => 0,
        // Building a volume group writes LVM labels on its devices: only onto blank ones. Without
        // devices the group must already exist, and there is nothing to build.
        KvmStoragePoolType.Logical when d.SourceDevices.Count > 0 => Libvirt.VIR_STORAGE_POOL_BUILD_NO_OVERWRITE,
        _ => null,
    };

    public static StoragePool Create(LibvirtConnection conn, StoragePoolDefinition planned, bool start, bool autostart,
        Action<string>? log = null, Action<string>? warn = null)
    {
        StoragePool pool = StoragePool.Define(conn, StoragePoolXml.Build(planned));
        log?.Invoke($"Defined {planned.TypeName} storage pool '{pool.Name}'.");
        bool started = false;
        try
        {
            if (BuildFlags(planned) is uint flags)
            {
                pool.Build(flags);
                log?.Invoke($"Built storage pool '{pool.Name}'{(planned.Path is null ? "" : $" at {planned.Path}")}.");
            }
            if (start)
            {
                pool.Start();
                started = true;
                log?.Invoke($"Started storage pool '{pool.Name}'.");
            }
            if (autostart)
            {
                pool.Autostart = true;
                log?.Invoke($"Storage pool '{pool.Name}' starts with the daemon (autostart).");
            }
            return pool;
        }
        catch
        {
            Undo(pool, started, log, warn);
            pool.Dispose();
            throw;
        }
    }

    private static void Undo(StoragePool pool, bool started, Action<string>? log, Action<string>? warn)
    {
        try
        {
            if (started)
            {
                pool.Stop();
            }
            pool.Undefine();
            log?.Invoke($"Undefined storage pool '{pool.Name}' again after the failure.");
        }
        catch (LibvirtException e)
        {
            warn?.Invoke($"Could not undo the definition of storage pool '{pool.Name}': {e.LibvirtMessage}");
        }
    }
}

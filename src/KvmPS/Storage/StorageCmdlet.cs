using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Storage;

namespace KvmPS.Commands;

/// <summary>
/// Base of the storage pool and volume cmdlets: finds pools and volumes by name with the module's
/// error records, and keeps the item being worked on as the target of any error.
/// </summary>
public abstract class StorageCmdlet : KvmCmdlet
{
    /// <summary>The name of the pool or volume being worked on, for error targets.</summary>
    private protected string? CurrentTarget { get; set; }

    protected override object? ErrorTarget => CurrentTarget ?? base.ErrorTarget;

    /// <summary>The pool of that name, or null after writing an ObjectNotFound error.</summary>
    private protected StoragePool? FindPool(LibvirtConnection conn, string name)
    {
        StoragePool? pool = StoragePool.TryLookup(conn, name);
        if (pool is null)
        {
            WriteError(NotFound("storage pool", name, "StoragePoolNotFound", PoolNames(conn)));
        }
        return pool;
    }

    /// <summary>The pool a piped object names (by UUID), or null after writing an ObjectNotFound error.</summary>
    private protected StoragePool? FindPool(LibvirtConnection conn, KvmStoragePool obj)
    {
        StoragePool? pool = StoragePool.TryLookup(conn, obj.Name, obj.Uuid);
        if (pool is null)
        {
            WriteError(ErrorHelper.Create(new ItemNotFoundException($"No storage pool named '{obj.Name}' with UUID {obj.Uuid} was found on {conn.Uri}."),
                "StoragePoolNotFound", ErrorCategory.ObjectNotFound, obj.Name));
        }
        return pool;
    }

    private static List<string> PoolNames(LibvirtConnection conn)
    {
        List<StoragePool> pools = StoragePool.ListAll(conn);
        try
        {
            return pools.Select(p => p.Name).ToList();
        }
        finally
        {
            pools.ForEach(p => p.Dispose());
        }
    }

    /// <summary>The running pool of that name, or null after writing an error (not found, or not running).</summary>
    private protected StoragePool? FindActivePool(LibvirtConnection conn, string name) => RequireActive(FindPool(conn, name));

    /// <summary>The running pool a piped object names (by UUID), or null after writing an error.</summary>
    private protected StoragePool? FindActivePool(LibvirtConnection conn, KvmStoragePool obj) => RequireActive(FindPool(conn, obj));

    private StoragePool? RequireActive(StoragePool? pool)
    {
        if (pool is { IsActive: false })
        {
            WriteError(PoolInactive(pool.Name));
            pool.Dispose();
            return null;
        }
        return pool;
    }

    private protected static ErrorRecord PoolInactive(string name) => ErrorHelper.Create(
        new InvalidOperationException($"Storage pool '{name}' is not running; start it with Start-KvmStoragePool."),
        "StoragePoolInactive", ErrorCategory.InvalidOperation, name);

    /// <summary>The volume in a running pool, or null after writing an error.</summary>
    private protected StorageVolume? FindVolume(LibvirtConnection conn, string poolName, string volumeName)
    {
        using StoragePool? pool = FindActivePool(conn, poolName);
        return pool is null ? null : FindVolume(pool, volumeName);
    }

    /// <summary>The volume (exact name) in a running pool, or null after writing an error.</summary>
    private protected StorageVolume? FindVolume(StoragePool pool, string volumeName)
    {
        StorageVolume? vol = pool.TryLookupVolume(volumeName);
        if (vol is null)
        {
            WriteError(ErrorHelper.NotFound("volume", volumeName, "StorageVolumeNotFound", $"{pool.Name}/{volumeName}"));
        }
        return vol;
    }

    /// <summary>
    /// Runs an action on each named pool. A missing pool or a libvirt failure is an error for that
    /// name only: the other names still run.
    /// </summary>
    private protected void ForEachPool(IEnumerable<string> names, Action<StoragePool> action)
    {
        LibvirtConnection conn = GetConnection();
        ForEachPool(names.Select(n => (conn, n, (KvmStoragePool?)null)), action);
    }

    /// <summary>Runs an action on each piped pool: found by UUID on the host it came from, never by a name look-alike.</summary>
    private protected void ForEachPool(IEnumerable<KvmStoragePool> pools, Action<StoragePool> action) =>
        ForEachPool(pools.Select(p => (GetConnection(p.Uri), p.Name, (KvmStoragePool?)p)), action);

    private void ForEachPool(IEnumerable<(LibvirtConnection Conn, string Name, KvmStoragePool? Object)> targets, Action<StoragePool> action)
    {
        foreach (var (conn, name, obj) in targets)
        {
            CurrentTarget = name;
            try
            {
                using StoragePool? pool = obj is null ? FindPool(conn, name) : FindPool(conn, obj);
                if (pool is not null)
                {
                    action(pool);
                }
            }
            catch (LibvirtException e) when (conn.IsAlive)
            {
                WriteError(ErrorHelper.Libvirt(e, FailureErrorId, name));
            }
            finally
            {
                CurrentTarget = null;
            }
        }
    }

    /// <summary>
    /// The items whose names match (all when no names are given), each once, by NameMatch: a literal
    /// name matches exactly, a wildcard case-insensitively (and the exact name too). A literal name
    /// that matches nothing is an ObjectNotFound error; a wildcard that matches nothing is silent.
    /// </summary>
    private protected List<T> SelectByName<T>(IEnumerable<T> items, Func<T, string> nameOf, string[]? names, string what, string errorId)
    {
        var all = items.ToList();
        if (names is null || names.Length == 0)
        {
            return all;
        }
        var selected = new List<T>();
        foreach (string typed in names)
        {
            var match = NameMatch.For(typed);
            var hits = all.Where(i => match.Matches(nameOf(i))).ToList();
            if (hits.Count == 0 && !match.IsWildcard)
            {
                WriteError(NotFound(what, typed, errorId, all.Select(nameOf)));
            }
            selected.AddRange(hits.Where(h => !selected.Contains(h)));
        }
        return selected;
    }

    /// <summary>ObjectNotFound for a literal name, with the names that differ only in case as a hint.</summary>
    private protected static ErrorRecord NotFound(string what, string name, string errorId, IEnumerable<string> existing) =>
        ErrorHelper.NotFound(what, name, errorId, hint: NameMatch.CaseHint(existing, name));

    /// <summary>Writes an InvalidArgument error for a request that cannot be carried out as given.</summary>
    private protected void WriteInvalid(Exception e, string errorId, object? target) =>
        WriteError(ErrorHelper.InvalidArgument(e.Message, errorId, target));

    /// <summary>Sizes for messages, in the module's one format ("2 GiB", "512 MiB").</summary>
    internal static string FormatSize(ulong bytes) => SizeText.Format(bytes);
}

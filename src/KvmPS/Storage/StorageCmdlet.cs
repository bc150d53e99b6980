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
    private protected StoragePool? FindActivePool(LibvirtConnection conn, string name)
    {
        StoragePool? pool = FindPool(conn, name);
        if (pool is { IsActive: false })
        {
            WriteError(PoolInactive(name));
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
        if (pool is null)
        {
            return null;
        }
        StorageVolume? vol = pool.TryLookupVolume(volumeName);
        if (vol is null)
        {
            WriteError(ErrorHelper.NotFound("volume", volumeName, "StorageVolumeNotFound", $"{poolName}/{volumeName}"));
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
        foreach (string name in names)
        {
            CurrentTarget = name;
            try
            {
                using StoragePool? pool = FindPool(conn, name);
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

    /// <summary>Sizes for messages: bytes as GiB/MiB/KiB with one decimal.</summary>
    internal static string FormatSize(ulong bytes) => bytes switch
    {
        >= 1UL << 40 => $"{bytes / (double)(1UL << 40):0.#} TiB",
        >= 1UL << 30 => $"{bytes / (double)(1UL << 30):0.#} GiB",
        >= 1UL << 20 => $"{bytes / (double)(1UL << 20):0.#} MiB",
        >= 1UL << 10 => $"{bytes / (double)(1UL << 10):0.#} KiB",
        _ => $"{bytes} bytes",
    };
}

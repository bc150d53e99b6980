namespace KvmPS.Engine;

/// <summary>
/// Reading what a listing returned, object by object, when objects may vanish in between: a
/// transient VM that ends, a network or pool someone removes. A read that fails because its object
/// is gone skips that object; every handle is released whatever happens.
/// </summary>
public static class Listing
{
    /// <summary>Whether a libvirt error says the object no longer exists.</summary>
    public static bool Vanished(LibvirtException e) => e.Code is LibvirtErrorCode.NoDomain or LibvirtErrorCode.NoNetwork
        or LibvirtErrorCode.NoStoragePool or LibvirtErrorCode.NoStorageVol or LibvirtErrorCode.NoNodeDevice;

    /// <summary>
    /// Reads each item with <paramref name="read"/> (null: leave it out), skips those that vanished
    /// meanwhile, and disposes every item, also when a read fails otherwise.
    /// </summary>
    public static List<TResult> ReadEach<TItem, TResult>(IReadOnlyList<TItem> items, Func<TItem, TResult?> read)
        where TItem : IDisposable
    {
        var result = new List<TResult>(items.Count);
        try
        {
            foreach (TItem item in items)
            {
                TResult? value;
                try
                {
                    value = read(item);
                }
                catch (LibvirtException e) when (Vanished(e))
                {
                    continue;
                }
                if (value is not null)
                {
                    result.Add(value);
                }
            }
        }
        finally
        {
            foreach (TItem item in items)
            {
                item.Dispose();
            }
        }
        return result;
    }

    /// <summary>
    /// As <see cref="ReadEach{TItem, TResult}(IReadOnlyList{TItem}, Func{TItem, TResult})"/>, with up to
    /// <paramref name="parallel"/> reads at once (the results keep the items' order). A libvirt
    /// connection takes concurrent calls, and libvirtd serves up to five requests of one client at a
    /// time (max_client_requests), so four reads in flight hide most of the round-trip latency.
    /// </summary>
    public static List<TResult> ReadEach<TItem, TResult>(IReadOnlyList<TItem> items, Func<TItem, TResult?> read, int parallel)
        where TItem : IDisposable
    {
        if (parallel <= 1 || items.Count < 2 * parallel)
        {
            return ReadEach(items, read);
        }
        var results = new TResult?[items.Count];
        try
        {
            Parallel.For(0, items.Count, new ParallelOptions { MaxDegreeOfParallelism = parallel }, i =>
            {
                try
                {
                    results[i] = read(items[i]);
                }
                catch (LibvirtException e) when (Vanished(e))
                {
                    results[i] = default;
                }
            });
        }
        catch (AggregateException e)
        {
            // The first failure as if the reads had run one by one.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
        finally
        {
            foreach (TItem item in items)
            {
                item.Dispose();
            }
        }
        return results.Where(r => r is not null).Select(r => r!).ToList();
    }

    /// <summary>
    /// Turns <paramref name="items"/> into objects with <paramref name="make"/>; when one fails,
    /// the objects made so far and the items not yet made are disposed before the error goes on.
    /// </summary>
    public static List<TResult> MakeAll<TItem, TResult>(IReadOnlyList<TItem> items, Func<TItem, TResult> make)
        where TItem : IDisposable where TResult : IDisposable
    {
        var made = new List<TResult>(items.Count);
        int i = 0;
        try
        {
            for (; i < items.Count; i++)
            {
                made.Add(make(items[i]));
            }
            return made;
        }
        catch
        {
            made.ForEach(m => m.Dispose());
            for (int j = i; j < items.Count; j++)
            {
                items[j].Dispose();
            }
            throw;
        }
    }
}

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

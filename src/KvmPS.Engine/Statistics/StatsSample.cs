using KvmPS.Engine.Native;

namespace KvmPS.Engine.Statistics;

/// <summary>One bulk statistics call: the records of every domain of a host, and when it was made.</summary>
public sealed class StatsSample
{
    public StatsSample(string uri, DateTime timestampUtc, long monotonicTicks, IReadOnlyList<DomainStatsRecord> records)
    {
        Uri = uri;
        TimestampUtc = timestampUtc;
        MonotonicTicks = monotonicTicks;
        Records = records;
    }

    public string Uri { get; }

    public DateTime TimestampUtc { get; }

    /// <summary>Stopwatch ticks at the sample (intervals are measured on the monotonic clock, not the wall clock).</summary>
    public long MonotonicTicks { get; }

    public IReadOnlyList<DomainStatsRecord> Records { get; }

    /// <summary>Seconds from <paramref name="earlier"/> to this sample.</summary>
    public double SecondsSince(StatsSample earlier) =>
        (MonotonicTicks - earlier.MonotonicTicks) / (double)System.Diagnostics.Stopwatch.Frequency;

    /// <summary>Takes a sample of every domain of the host (one call).</summary>
    public static StatsSample Take(LibvirtConnection conn) =>
        new(conn.Uri, DateTime.UtcNow, System.Diagnostics.Stopwatch.GetTimestamp(), DomainStatsReader.ReadAll(conn, DomainStatsReader.AllGroups));

    /// <summary>
    /// Takes a sample of what <paramref name="selection"/> picks: a few exact names or UUIDs are
    /// looked up and asked alone (one lookup each, then one call); anything else is the bulk call
    /// for every domain. A name or UUID with no domain simply has no record.
    /// </summary>
    public static StatsSample Take(LibvirtConnection conn, VmSelection selection)
    {
        if (!selection.IsTargeted)
        {
            return Take(conn);
        }
        var handles = new List<DomainHandle>();
        var seen = new HashSet<Guid>();
        try
        {
            foreach (string name in selection.LiteralNames)
            {
                Add(handles, seen, () => conn.LookupDomain(name));
            }
            foreach (Guid uuid in selection.Uuids)
            {
                Add(handles, seen, () => conn.LookupDomain(uuid));
            }
            return new(conn.Uri, DateTime.UtcNow, System.Diagnostics.Stopwatch.GetTimestamp(), DomainStatsReader.ReadSome(handles, DomainStatsReader.AllGroups));
        }
        finally
        {
            handles.ForEach(h => h.Dispose());
        }
    }

    private static void Add(List<DomainHandle> handles, HashSet<Guid> seen, Func<DomainHandle> lookup)
    {
        DomainHandle h;
        try
        {
            h = lookup();
        }
        catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoDomain)
        {
            return;
        }
        // A name and a UUID of the same VM are asked once.
        if (seen.Add(DomainStatsReader.UuidOf(h.DangerousGetHandle())))
        {
            handles.Add(h);
        }
        else
        {
            h.Dispose();
        }
    }
}

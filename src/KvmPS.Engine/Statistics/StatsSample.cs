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
}

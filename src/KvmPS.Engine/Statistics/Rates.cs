namespace KvmPS.Engine.Statistics;

/// <summary>
/// Rates between two samples of a counter. A counter that went down (the VM was restarted in
/// between, a disk was replaced) gives no rate rather than a negative or huge one.
/// </summary>
public static class Rates
{
    /// <summary>(now - before) / seconds; null without both values, without a positive interval, or when the counter fell.</summary>
    public static double? PerSecond(ulong? now, ulong? before, double? seconds)
    {
        if (now is not ulong n || before is not ulong b || seconds is not double s || s <= 0 || n < b)
        {
            return null;
        }
        return (n - b) / s;
    }

    /// <summary>
    /// CPU use in percent of <paramref name="cpus"/> CPUs from two CPU-time counters (nanoseconds)
    /// taken <paramref name="seconds"/> apart: 100 means every CPU was busy the whole time.
    /// </summary>
    public static double? CpuPercent(ulong? nowNs, ulong? beforeNs, double? seconds, int? cpus)
    {
        if (cpus is not int c || c <= 0 || PerSecond(nowNs, beforeNs, seconds) is not double nsPerSec)
        {
            return null;
        }
        return Math.Round(nsPerSec / 1e9 / c * 100, 2);
    }

    /// <summary>Busy share of a host's CPUs from the growth of its busy and idle counters.</summary>
    public static double? BusyPercent(ulong? busyNow, ulong? busyBefore, ulong? idleNow, ulong? idleBefore)
    {
        if (busyNow is not ulong bn || busyBefore is not ulong bb || idleNow is not ulong inow || idleBefore is not ulong ib
            || bn < bb || inow < ib)
        {
            return null;
        }
        double busy = bn - bb, idle = inow - ib;
        return busy + idle <= 0 ? null : Math.Round(busy * 100 / (busy + idle), 2);
    }

    /// <summary>The sum of the values present; null when none is.</summary>
    public static ulong? Sum(IEnumerable<ulong?> values)
    {
        ulong? total = null;
        foreach (ulong? v in values)
        {
            if (v is ulong x)
            {
                total = (total ?? 0) + x;
            }
        }
        return total;
    }

    /// <summary>The sum of the rates present; null when none is.</summary>
    public static double? Sum(IEnumerable<double?> values)
    {
        double? total = null;
        foreach (double? v in values)
        {
            if (v is double x)
            {
                total = (total ?? 0) + x;
            }
        }
        return total is double t ? Math.Round(t, 2) : null;
    }
}

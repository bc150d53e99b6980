namespace KvmPS.Engine.Statistics;

/// <summary>Turns host samples into the public object, with the CPU busy share between two samples.</summary>
public static class HostStatisticsBuilder
{
    public static KvmHostStatistics Build(HostStatsSample now, HostStatsSample? before)
    {
        ulong? Cpu(HostStatsSample? s, string f) => s is not null && s.Cpu.TryGetValue(f, out ulong v) ? v : null;
        ulong? Mem(string f) => now.Memory.TryGetValue(f, out ulong v) ? v * 1024 : null;
        ulong? total = Mem("total") ?? now.MemoryTotalBytes;
        ulong? free = Mem("free") ?? now.FreeBytes;
        ulong? buffers = Mem("buffers"), cached = Mem("cached");
        double? usedPercent = total is ulong t && t > 0 && free is ulong f
            ? Math.Round(Math.Max(0, (double)t - f - (buffers ?? 0) - (cached ?? 0)) * 100 / t, 2) : null;
        return new KvmHostStatistics
        {
            Uri = now.Uri,
            Timestamp = now.TimestampUtc,
            IntervalSeconds = before is null ? null
                : Math.Round((now.MonotonicTicks - before.MonotonicTicks) / (double)System.Diagnostics.Stopwatch.Frequency, 3),
            CpuCount = now.CpuCount,
            CpuUserNs = Cpu(now, "user"),
            CpuKernelNs = Cpu(now, "kernel"),
            CpuIdleNs = Cpu(now, "idle"),
            CpuIowaitNs = Cpu(now, "iowait"),
            CpuPercent = before is null ? null : Rates.BusyPercent(
                Rates.Sum(new[] { Cpu(now, "user"), Cpu(now, "kernel") }), Rates.Sum(new[] { Cpu(before, "user"), Cpu(before, "kernel") }),
                Rates.Sum(new[] { Cpu(now, "idle"), Cpu(now, "iowait") }), Rates.Sum(new[] { Cpu(before, "idle"), Cpu(before, "iowait") })),
            MemoryTotalBytes = total ?? 0,
            MemoryFreeBytes = free,
            MemoryBuffersBytes = buffers,
            MemoryCachedBytes = cached,
            MemoryUsedPercent = usedPercent,
            Cells = now.CellsFree.Select((b, i) => new KvmHostCellStatistics { Id = i, FreeBytes = b }).ToArray(),
        };
    }
}

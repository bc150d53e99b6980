using KvmPS.Engine.Native;

namespace KvmPS.Engine.Statistics;

/// <summary>
/// A host's counters at one moment: CPU times summed over all CPUs (virNodeGetCPUStats), memory
/// (virNodeGetMemoryStats, else the free memory and node info), free memory per NUMA cell. Fields
/// are libvirt's names (user, kernel, idle, iowait; total, free, buffers, cached, in KiB).
/// </summary>
public sealed class HostStatsSample
{
    public HostStatsSample(string uri, DateTime timestampUtc, long monotonicTicks, int cpuCount, ulong memoryTotalBytes,
        IReadOnlyDictionary<string, ulong> cpu, IReadOnlyDictionary<string, ulong> memory, ulong? freeBytes, ulong[] cellsFree)
    {
        Uri = uri;
        TimestampUtc = timestampUtc;
        MonotonicTicks = monotonicTicks;
        CpuCount = cpuCount;
        MemoryTotalBytes = memoryTotalBytes;
        Cpu = cpu;
        Memory = memory;
        FreeBytes = freeBytes;
        CellsFree = cellsFree;
    }

    public string Uri { get; }
    public DateTime TimestampUtc { get; }
    public long MonotonicTicks { get; }
    public int CpuCount { get; }
    public ulong MemoryTotalBytes { get; }

    /// <summary>CPU counters in nanoseconds, by libvirt's field name.</summary>
    public IReadOnlyDictionary<string, ulong> Cpu { get; }

    /// <summary>Memory counters in KiB, by libvirt's field name (empty when the driver has none).</summary>
    public IReadOnlyDictionary<string, ulong> Memory { get; }

    /// <summary>Free memory from virNodeGetFreeMemory, in bytes (the fallback without memory counters).</summary>
    public ulong? FreeBytes { get; }

    /// <summary>Free bytes per NUMA cell.</summary>
    public ulong[] CellsFree { get; }

    /// <summary>Takes a sample of the host's counters.</summary>
    public static HostStatsSample Take(LibvirtConnection conn)
    {
        Libvirt.VirNodeInfo info = conn.GetNodeInfo();
        var cpu = ReadNodeStats(conn, cpuStats: true);
        var memory = ReadNodeStats(conn, cpuStats: false);
        ulong? free = memory.Count == 0 ? conn.GetFreeMemory() : null;
        ulong[] cells = conn.GetCellsFreeMemory((int)Math.Max(1, info.Nodes)) ?? Array.Empty<ulong>();
        return new HostStatsSample(conn.Uri, DateTime.UtcNow, System.Diagnostics.Stopwatch.GetTimestamp(), (int)info.Cpus,
            info.MemoryKiB * 1024, cpu, memory, free, cells);
    }

    /// <summary>All fields of virNodeGetCPUStats or virNodeGetMemoryStats for the whole host; empty when the driver has none.</summary>
    private static unsafe Dictionary<string, ulong> ReadNodeStats(LibvirtConnection conn, bool cpuStats)
    {
        var result = new Dictionary<string, ulong>(StringComparer.Ordinal);
        int n = 0;
        int rc = cpuStats ? Libvirt.virNodeGetCPUStats(conn.Handle, Libvirt.VIR_NODE_CPU_STATS_ALL_CPUS, null, &n, 0)
            : Libvirt.virNodeGetMemoryStats(conn.Handle, Libvirt.VIR_NODE_MEMORY_STATS_ALL_CELLS, null, &n, 0);
        if (rc < 0 || n <= 0)
        {
            var e = LibvirtException.FromLastError(cpuStats ? "virNodeGetCPUStats" : "virNodeGetMemoryStats");
            return rc < 0 && e.Kind != KvmErrorKind.NotSupported ? throw e : result;
        }
        var buffer = new Libvirt.VirNodeStats[n];
        fixed (Libvirt.VirNodeStats* p = buffer)
        {
            rc = cpuStats ? Libvirt.virNodeGetCPUStats(conn.Handle, Libvirt.VIR_NODE_CPU_STATS_ALL_CPUS, p, &n, 0)
                : Libvirt.virNodeGetMemoryStats(conn.Handle, Libvirt.VIR_NODE_MEMORY_STATS_ALL_CELLS, p, &n, 0);
            if (rc < 0)
            {
                throw LibvirtException.FromLastError(cpuStats ? "virNodeGetCPUStats" : "virNodeGetMemoryStats");
            }
            for (int i = 0; i < n; i++)
            {
                result[TypedParameters.ReadName(p[i].Field, Libvirt.VIR_NODE_STATS_FIELD_LENGTH)] = p[i].Value;
            }
        }
        return result;
    }
}

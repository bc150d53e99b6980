using System.Runtime.CompilerServices;
namespace KvmPS.Engine.Statistics;

/// <summary>
/// Turns a domain's stats record (libvirt's field names: cpu.time, balloon.rss, block.0.rd.bytes,
/// ...) into the public object, with rates against the same domain's record of an earlier sample.
/// A thousand records are built per round, so this avoids per-record LINQ and name formatting.
/// </summary>
public static class VmStatisticsBuilder
{
    /// <summary>The statistics of every record of <paramref name="now"/> that <paramref name="include"/> accepts (all without it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static List<KvmVMStatistics> BuildAll(StatsSample now, StatsSample? before, Func<DomainStatsRecord, bool>? include = null)
    {
        Dictionary<Guid, DomainStatsRecord>? earlier = null;
        if (before is not null)
        {
            earlier = new Dictionary<Guid, DomainStatsRecord>(before.Records.Count);
            foreach (DomainStatsRecord r in before.Records)
            {
                earlier[r.Uuid] = r;
            }
        }
        double? seconds = before is null ? null : now.SecondsSince(before);
        var result = new List<KvmVMStatistics>(now.Records.Count);
        foreach (DomainStatsRecord r in now.Records)
        {
            if (include is null || include(r))
            {
                result.Add(Build(r, earlier?.GetValueOrDefault(r.Uuid), seconds, now.TimestampUtc, now.Uri));
            }
        }
        result.Sort(static (x, y) => string.CompareOrdinal(x.VMName, y.VMName));
        return result;
    }

    /// <summary>One VM's statistics; <paramref name="before"/> (the same VM earlier) and <paramref name="seconds"/> give the rates.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static KvmVMStatistics Build(DomainStatsRecord now, DomainStatsRecord? before, double? seconds, DateTime timestampUtc, string uri)
    {
        TypedParameters p = now.Parameters;
        TypedParameters? b = before?.Parameters;
        double? interval = b is null ? null : seconds;
        int? vcpus = (int?)p.GetUInt64("vcpu.current");
        KvmDiskStatistics[] disks = Disks(p, b, interval);
        KvmNetworkAdapterStatistics[] nics = Nics(p, b, interval);
        ulong? cpuTime = p.GetUInt64("cpu.time");
        ulong? rdBytes = null, wrBytes = null, rdOps = null, wrOps = null, rxBytes = null, txBytes = null, rxPkts = null, txPkts = null;
        double? rdRate = null, wrRate = null, rdOpsRate = null, wrOpsRate = null, rxRate = null, txRate = null;
        foreach (KvmDiskStatistics d in disks)
        {
            rdBytes = (rdBytes ?? 0) + d.ReadBytes;
            wrBytes = (wrBytes ?? 0) + d.WriteBytes;
            rdOps = (rdOps ?? 0) + d.ReadOps;
            wrOps = (wrOps ?? 0) + d.WriteOps;
            rdRate = Add(rdRate, d.ReadBytesPerSec);
            wrRate = Add(wrRate, d.WriteBytesPerSec);
            rdOpsRate = Add(rdOpsRate, d.ReadOpsPerSec);
            wrOpsRate = Add(wrOpsRate, d.WriteOpsPerSec);
        }
        foreach (KvmNetworkAdapterStatistics n in nics)
        {
            rxBytes = (rxBytes ?? 0) + n.RxBytes;
            txBytes = (txBytes ?? 0) + n.TxBytes;
            rxPkts = (rxPkts ?? 0) + n.RxPackets;
            txPkts = (txPkts ?? 0) + n.TxPackets;
            rxRate = Add(rxRate, n.RxBytesPerSec);
            txRate = Add(txRate, n.TxBytesPerSec);
        }
        return new KvmVMStatistics
        {
            VMName = now.Name,
            Uuid = now.Uuid,
            Uri = uri,
            Timestamp = timestampUtc,
            IntervalSeconds = interval is double s ? Math.Round(s, 3) : null,
            State = (KvmVMState)(p.GetInt64("state.state") ?? 0),
            VCpuCount = vcpus,
            CpuTimeNs = cpuTime,
            CpuUserTimeNs = p.GetUInt64("cpu.user"),
            CpuSystemTimeNs = p.GetUInt64("cpu.system"),
            CpuPercent = Rates.CpuPercent(cpuTime, b?.GetUInt64("cpu.time"), interval, vcpus),
            MemoryBytes = KiB(p, "balloon.current"),
            MemoryMaximumBytes = KiB(p, "balloon.maximum"),
            MemoryAvailableBytes = KiB(p, "balloon.available"),
            MemoryUnusedBytes = KiB(p, "balloon.unused"),
            MemoryUsableBytes = KiB(p, "balloon.usable"),
            MemoryRssBytes = KiB(p, "balloon.rss"),
            DiskReadBytes = rdBytes,
            DiskWriteBytes = wrBytes,
            DiskReadOps = rdOps,
            DiskWriteOps = wrOps,
            DiskReadBytesPerSec = Round(rdRate),
            DiskWriteBytesPerSec = Round(wrRate),
            DiskReadOpsPerSec = Round(rdOpsRate),
            DiskWriteOpsPerSec = Round(wrOpsRate),
            NetworkRxBytes = rxBytes,
            NetworkTxBytes = txBytes,
            NetworkRxPackets = rxPkts,
            NetworkTxPackets = txPkts,
            NetworkRxBytesPerSec = Round(rxRate),
            NetworkTxBytesPerSec = Round(txRate),
            Disks = disks,
            NetworkAdapters = nics,
            VCpus = VCpus(p, b, interval),
        };
    }

    /// <summary>A running sum of rates that stays null until a rate is present (as Rates.Sum).</summary>
    private static double? Add(double? total, double? v) => v is double x ? (total ?? 0) + x : total;

    private static double? Round(double? v) => v is double t ? Math.Round(t, 2) : null;

    private static ulong? KiB(TypedParameters p, string name) => p.GetUInt64(name) is ulong k ? k * 1024 : null;

    /// <summary>The earlier record's index of the same device (indexes shift when devices come and go); -1 when it had none.</summary>
    private static int Match(TypedParameters? b, string group, string name)
    {
        if (b is null)
        {
            return -1;
        }
        int count = (int)(b.GetUInt64(group + ".count") ?? 0);
        for (int i = 0; i < count; i++)
        {
            if (b.GetString(StatKeys.Of(group, i, "name")) == name)
            {
                return i;
            }
        }
        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static KvmDiskStatistics[] Disks(TypedParameters p, TypedParameters? b, double? s)
    {
        int count = (int)(p.GetUInt64("block.count") ?? 0);
        if (count == 0)
        {
            return Array.Empty<KvmDiskStatistics>();
        }
        var list = new List<KvmDiskStatistics>(count);
        for (int i = 0; i < count; i++)
        {
            string name = p.GetString(StatKeys.Of("block", i, "name")) ?? "";
            // A backing-chain entry (the same target again, with a backing index) is not a disk of its own.
            if (p.Has(StatKeys.Of("block", i, "backingIndex")) && list.Exists(d => d.Name == name))
            {
                continue;
            }
            int m = Match(b, "block", name);
            list.Add(new KvmDiskStatistics
            {
                Name = name,
                Path = p.GetString(StatKeys.Of("block", i, "path")),
                ReadBytes = p.GetUInt64(StatKeys.Of("block", i, "rd.bytes")) ?? 0,
                WriteBytes = p.GetUInt64(StatKeys.Of("block", i, "wr.bytes")) ?? 0,
                ReadOps = p.GetUInt64(StatKeys.Of("block", i, "rd.reqs")) ?? 0,
                WriteOps = p.GetUInt64(StatKeys.Of("block", i, "wr.reqs")) ?? 0,
                FlushOps = p.GetUInt64(StatKeys.Of("block", i, "fl.reqs")) ?? 0,
                ReadBytesPerSec = RateOf(p, b, "block", i, m, "rd.bytes", s),
                WriteBytesPerSec = RateOf(p, b, "block", i, m, "wr.bytes", s),
                ReadOpsPerSec = RateOf(p, b, "block", i, m, "rd.reqs", s),
                WriteOpsPerSec = RateOf(p, b, "block", i, m, "wr.reqs", s),
                CapacityBytes = p.GetUInt64(StatKeys.Of("block", i, "capacity")),
                AllocationBytes = p.GetUInt64(StatKeys.Of("block", i, "allocation")),
            });
        }
        return list.ToArray();
    }

    /// <summary>The rate of one device field between index <paramref name="i"/> now and <paramref name="earlier"/> before (none without a match).</summary>
    private static double? RateOf(TypedParameters p, TypedParameters? b, string group, int i, int earlier, string field, double? s) =>
        earlier < 0 || b is null ? null
            : Rates.PerSecond(p.GetUInt64(StatKeys.Of(group, i, field)), b.GetUInt64(StatKeys.Of(group, earlier, field)), s) is double r ? Math.Round(r, 2) : null;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static KvmNetworkAdapterStatistics[] Nics(TypedParameters p, TypedParameters? b, double? s)
    {
        int count = (int)(p.GetUInt64("net.count") ?? 0);
        if (count == 0)
        {
            return Array.Empty<KvmNetworkAdapterStatistics>();
        }
        var list = new KvmNetworkAdapterStatistics[count];
        for (int i = 0; i < count; i++)
        {
            string name = p.GetString(StatKeys.Of("net", i, "name")) ?? "";
            int m = Match(b, "net", name);
            list[i] = new KvmNetworkAdapterStatistics
            {
                Name = name,
                RxBytes = p.GetUInt64(StatKeys.Of("net", i, "rx.bytes")) ?? 0,
                TxBytes = p.GetUInt64(StatKeys.Of("net", i, "tx.bytes")) ?? 0,
                RxPackets = p.GetUInt64(StatKeys.Of("net", i, "rx.pkts")) ?? 0,
                TxPackets = p.GetUInt64(StatKeys.Of("net", i, "tx.pkts")) ?? 0,
                RxErrors = p.GetUInt64(StatKeys.Of("net", i, "rx.errs")) ?? 0,
                TxErrors = p.GetUInt64(StatKeys.Of("net", i, "tx.errs")) ?? 0,
                RxDrops = p.GetUInt64(StatKeys.Of("net", i, "rx.drop")) ?? 0,
                TxDrops = p.GetUInt64(StatKeys.Of("net", i, "tx.drop")) ?? 0,
                RxBytesPerSec = RateOf(p, b, "net", i, m, "rx.bytes", s),
                TxBytesPerSec = RateOf(p, b, "net", i, m, "tx.bytes", s),
            };
        }
        return list;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static KvmVCpuStatistics[] VCpus(TypedParameters p, TypedParameters? b, double? s)
    {
        int count = (int)(p.GetUInt64("vcpu.maximum") ?? p.GetUInt64("vcpu.current") ?? 0);
        if (count == 0)
        {
            return Array.Empty<KvmVCpuStatistics>();
        }
        var list = new List<KvmVCpuStatistics>(count);
        for (int i = 0; i < count; i++)
        {
            string state = StatKeys.Of("vcpu", i, "state"), time = StatKeys.Of("vcpu", i, "time");
            if (!p.Has(state) && !p.Has(time))
            {
                continue;
            }
            list.Add(new KvmVCpuStatistics
            {
                Id = i,
                State = p.GetInt64(state) is long st ? (KvmVCpuState)st : null,
                TimeNs = p.GetUInt64(time),
                WaitNs = p.GetUInt64(StatKeys.Of("vcpu", i, "wait")),
                CpuPercent = Rates.CpuPercent(p.GetUInt64(time), b?.GetUInt64(time), s, 1),
            });
        }
        return list.ToArray();
    }
}

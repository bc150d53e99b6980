namespace KvmPS.Engine.Statistics;

/// <summary>
/// Turns a domain's stats record (libvirt's field names: cpu.time, balloon.rss, block.0.rd.bytes,
/// ...) into the public object, with rates against the same domain's record of an earlier sample.
/// </summary>
public static class VmStatisticsBuilder
{
    /// <summary>The statistics of every record of <paramref name="now"/> that <paramref name="include"/> accepts (all without it).</summary>
    public static List<KvmVMStatistics> BuildAll(StatsSample now, StatsSample? before, Func<DomainStatsRecord, bool>? include = null)
    {
        var earlier = before?.Records.ToDictionary(r => r.Uuid) ?? new Dictionary<Guid, DomainStatsRecord>();
        double? seconds = before is null ? null : now.SecondsSince(before);
        var result = new List<KvmVMStatistics>();
        foreach (DomainStatsRecord r in now.Records)
        {
            if (include is null || include(r))
            {
                result.Add(Build(r, earlier.GetValueOrDefault(r.Uuid), seconds, now.TimestampUtc, now.Uri));
            }
        }
        return result.OrderBy(s => s.VMName, StringComparer.Ordinal).ToList();
    }

    /// <summary>One VM's statistics; <paramref name="before"/> (the same VM earlier) and <paramref name="seconds"/> give the rates.</summary>
    public static KvmVMStatistics Build(DomainStatsRecord now, DomainStatsRecord? before, double? seconds, DateTime timestampUtc, string uri)
    {
        TypedParameters p = now.Parameters;
        TypedParameters? b = before?.Parameters;
        double? interval = b is null ? null : seconds;
        int? vcpus = (int?)p.GetUInt64("vcpu.current");
        var disks = Disks(p, b, interval);
        var nics = Nics(p, b, interval);
        return new KvmVMStatistics
        {
            VMName = now.Name,
            Uuid = now.Uuid,
            Uri = uri,
            Timestamp = timestampUtc,
            IntervalSeconds = interval is double s ? Math.Round(s, 3) : null,
            State = (KvmVMState)(p.GetInt64("state.state") ?? 0),
            VCpuCount = vcpus,
            CpuTimeNs = p.GetUInt64("cpu.time"),
            CpuUserTimeNs = p.GetUInt64("cpu.user"),
            CpuSystemTimeNs = p.GetUInt64("cpu.system"),
            CpuPercent = Rates.CpuPercent(p.GetUInt64("cpu.time"), b?.GetUInt64("cpu.time"), interval, vcpus),
            MemoryBytes = KiB(p, "balloon.current"),
            MemoryMaximumBytes = KiB(p, "balloon.maximum"),
            MemoryAvailableBytes = KiB(p, "balloon.available"),
            MemoryUnusedBytes = KiB(p, "balloon.unused"),
            MemoryUsableBytes = KiB(p, "balloon.usable"),
            MemoryRssBytes = KiB(p, "balloon.rss"),
            DiskReadBytes = disks.Count == 0 ? null : Rates.Sum(disks.Select(d => (ulong?)d.ReadBytes)),
            DiskWriteBytes = disks.Count == 0 ? null : Rates.Sum(disks.Select(d => (ulong?)d.WriteBytes)),
            DiskReadOps = disks.Count == 0 ? null : Rates.Sum(disks.Select(d => (ulong?)d.ReadOps)),
            DiskWriteOps = disks.Count == 0 ? null : Rates.Sum(disks.Select(d => (ulong?)d.WriteOps)),
            DiskReadBytesPerSec = Rates.Sum(disks.Select(d => d.ReadBytesPerSec)),
            DiskWriteBytesPerSec = Rates.Sum(disks.Select(d => d.WriteBytesPerSec)),
            DiskReadOpsPerSec = Rates.Sum(disks.Select(d => d.ReadOpsPerSec)),
            DiskWriteOpsPerSec = Rates.Sum(disks.Select(d => d.WriteOpsPerSec)),
            NetworkRxBytes = nics.Count == 0 ? null : Rates.Sum(nics.Select(n => (ulong?)n.RxBytes)),
            NetworkTxBytes = nics.Count == 0 ? null : Rates.Sum(nics.Select(n => (ulong?)n.TxBytes)),
            NetworkRxPackets = nics.Count == 0 ? null : Rates.Sum(nics.Select(n => (ulong?)n.RxPackets)),
            NetworkTxPackets = nics.Count == 0 ? null : Rates.Sum(nics.Select(n => (ulong?)n.TxPackets)),
            NetworkRxBytesPerSec = Rates.Sum(nics.Select(n => n.RxBytesPerSec)),
            NetworkTxBytesPerSec = Rates.Sum(nics.Select(n => n.TxBytesPerSec)),
            Disks = disks.ToArray(),
            NetworkAdapters = nics.ToArray(),
            VCpus = VCpus(p, b, interval),
        };
    }

    private static ulong? KiB(TypedParameters p, string name) => p.GetUInt64(name) is ulong k ? k * 1024 : null;

    private static double? Rate(TypedParameters p, TypedParameters? b, string field, double? seconds) =>
        Rates.PerSecond(p.GetUInt64(field), b?.GetUInt64(field), seconds) is double r ? Math.Round(r, 2) : null;

    /// <summary>The earlier record's index of the same device (indexes shift when devices come and go).</summary>
    private static string? Match(TypedParameters? b, string group, string name)
    {
        if (b is null)
        {
            return null;
        }
        int count = (int)(b.GetUInt64($"{group}.count") ?? 0);
        for (int i = 0; i < count; i++)
        {
            if (b.GetString($"{group}.{i}.name") == name)
            {
                return $"{group}.{i}.";
            }
        }
        return null;
    }

    private static List<KvmDiskStatistics> Disks(TypedParameters p, TypedParameters? b, double? s)
    {
        var list = new List<KvmDiskStatistics>();
        int count = (int)(p.GetUInt64("block.count") ?? 0);
        for (int i = 0; i < count; i++)
        {
            string k = $"block.{i}.";
            string name = p.GetString(k + "name") ?? "";
            // A backing-chain entry (the same target again, with a backing index) is not a disk of its own.
            if (p.Has(k + "backingIndex") && list.Any(d => d.Name == name))
            {
                continue;
            }
            string? m = Match(b, "block", name);
            TypedParameters? pb = m is null ? null : b;
            list.Add(new KvmDiskStatistics
            {
                Name = name,
                Path = p.GetString(k + "path"),
                ReadBytes = p.GetUInt64(k + "rd.bytes") ?? 0,
                WriteBytes = p.GetUInt64(k + "wr.bytes") ?? 0,
                ReadOps = p.GetUInt64(k + "rd.reqs") ?? 0,
                WriteOps = p.GetUInt64(k + "wr.reqs") ?? 0,
                FlushOps = p.GetUInt64(k + "fl.reqs") ?? 0,
                ReadBytesPerSec = RateOf(p, pb, k, m, "rd.bytes", s),
                WriteBytesPerSec = RateOf(p, pb, k, m, "wr.bytes", s),
                ReadOpsPerSec = RateOf(p, pb, k, m, "rd.reqs", s),
                WriteOpsPerSec = RateOf(p, pb, k, m, "wr.reqs", s),
                CapacityBytes = p.GetUInt64(k + "capacity"),
                AllocationBytes = p.GetUInt64(k + "allocation"),
            });
        }
        return list;
    }

    private static double? RateOf(TypedParameters p, TypedParameters? b, string key, string? earlierKey, string field, double? s) =>
        earlierKey is null ? null
            : Rates.PerSecond(p.GetUInt64(key + field), b?.GetUInt64(earlierKey + field), s) is double r ? Math.Round(r, 2) : null;

    private static List<KvmNetworkAdapterStatistics> Nics(TypedParameters p, TypedParameters? b, double? s)
    {
        var list = new List<KvmNetworkAdapterStatistics>();
        int count = (int)(p.GetUInt64("net.count") ?? 0);
        for (int i = 0; i < count; i++)
        {
            string k = $"net.{i}.";
            string name = p.GetString(k + "name") ?? "";
            string? m = Match(b, "net", name);
            TypedParameters? pb = m is null ? null : b;
            list.Add(new KvmNetworkAdapterStatistics
            {
                Name = name,
                RxBytes = p.GetUInt64(k + "rx.bytes") ?? 0,
                TxBytes = p.GetUInt64(k + "tx.bytes") ?? 0,
                RxPackets = p.GetUInt64(k + "rx.pkts") ?? 0,
                TxPackets = p.GetUInt64(k + "tx.pkts") ?? 0,
                RxErrors = p.GetUInt64(k + "rx.errs") ?? 0,
                TxErrors = p.GetUInt64(k + "tx.errs") ?? 0,
                RxDrops = p.GetUInt64(k + "rx.drop") ?? 0,
                TxDrops = p.GetUInt64(k + "tx.drop") ?? 0,
                RxBytesPerSec = RateOf(p, pb, k, m, "rx.bytes", s),
                TxBytesPerSec = RateOf(p, pb, k, m, "tx.bytes", s),
            });
        }
        return list;
    }

    private static KvmVCpuStatistics[] VCpus(TypedParameters p, TypedParameters? b, double? s)
    {
        int count = (int)(p.GetUInt64("vcpu.maximum") ?? p.GetUInt64("vcpu.current") ?? 0);
        var list = new List<KvmVCpuStatistics>();
        for (int i = 0; i < count; i++)
        {
            string k = $"vcpu.{i}.";
            if (!p.Has(k + "state") && !p.Has(k + "time"))
            {
                continue;
            }
            list.Add(new KvmVCpuStatistics
            {
                Id = i,
                State = p.GetInt64(k + "state") is long st ? (KvmVCpuState)st : null,
                TimeNs = p.GetUInt64(k + "time"),
                WaitNs = p.GetUInt64(k + "wait"),
                CpuPercent = Rates.CpuPercent(p.GetUInt64(k + "time"), b?.GetUInt64(k + "time"), s, 1),
            });
        }
        return list.ToArray();
    }
}

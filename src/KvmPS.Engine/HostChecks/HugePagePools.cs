using System.Globalization;
using KvmPS.Engine.Host;

namespace KvmPS.Engine.HostChecks;

/// <summary>The kernel's huge page pools, read from sysfs and /proc through the host's file system.</summary>
public static class HugePagePools
{
    /// <summary>The pools by size, smallest first, from /sys/kernel/mm/hugepages.</summary>
    public static IReadOnlyList<HugePagePool> Read(IHostFileSystem fs)
    {
        var pools = new List<HugePagePool>();
        ulong? defaultKiB = DefaultKiB(fs);
        foreach (string dir in fs.List(HugePageSize.SysfsRoot))
        {
            if (!dir.StartsWith("hugepages-", StringComparison.Ordinal) || !HugePageSize.TryParseKiB(dir, out ulong kib))
            {
                continue;
            }
            string basePath = PoolDirectory(kib);
            // The default size is also /proc/sys/vm/nr_hugepages, the classic place to set it.
            string countFile = kib == defaultKiB ? "/proc/sys/vm/nr_hugepages" : basePath + "/nr_hugepages";
            pools.Add(new HugePagePool(kib, ReadCount(fs, basePath + "/nr_hugepages"), ReadCount(fs, basePath + "/free_hugepages"), countFile));
        }
        return pools.OrderBy(p => p.SizeKiB).ToList();
    }

    /// <summary>Hugepagesize from /proc/meminfo, or null.</summary>
    public static ulong? DefaultKiB(IHostFileSystem fs) => HugePageSize.ReadDefaultKiB(fs.ReadText("/proc/meminfo"));

    /// <summary>The sysfs directory of one size's pool.</summary>
    public static string PoolDirectory(ulong kib) => HugePageSize.SysfsRoot + "/" + HugePageSize.SysfsName(kib);

    /// <summary>A page count file (nr_hugepages, free_hugepages); 0 when missing or unreadable.</summary>
    public static ulong ReadCount(IHostFileSystem fs, string path) =>
        ulong.TryParse(fs.ReadText(path)?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong v) ? v : 0;
}

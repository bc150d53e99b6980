using System.Globalization;
using KvmPS.Engine.Host;
using static KvmPS.Engine.HostChecks.HostCheckText;

namespace KvmPS.Engine.HostChecks.Checks;

/// <summary>Whether huge pages are reserved and free, from sysfs or (remote) libvirt.</summary>
internal sealed class HugePagesCheck : IHostCheck
{
    public string Name => HostCheckNames.HugePages;

    public HostCheckFinding Run(HostCheckContext ctx)
    {
        List<(ulong SizeKiB, ulong Total, ulong Free)> pools;
        string where;
        ulong? defaultKiB = null;
        if (ctx.IsRemote)
        {
            LibvirtConnection? conn = ctx.Connection;
            if (conn is null)
            {
                return HostCheckFinding.LibvirtUnreachable();
            }
            pools = RemotePools(HostInfoReader.Read(conn));
            where = "libvirt's capabilities and free pages";
        }
        else
        {
            pools = HugePagePools.Read(ctx.Fs).Select(p => (p.SizeKiB, p.Total, p.Free)).ToList();
            defaultKiB = HugePagePools.DefaultKiB(ctx.Fs);
            where = HugePageSize.SysfsRoot;
        }
        if (pools.Count == 0)
        {
            return HostCheckFinding.Skip($"No huge page sizes reported ({where}): the kernel has no hugetlbfs support.");
        }
        string seen = string.Join("; ", pools.Select(p => $"{HugePageSize.Text(p.SizeKiB)}: {p.Total} reserved, {p.Free} free"))
            + (defaultKiB is { } d ? $" (default size {HugePageSize.Text(d)})" : "");
        if (pools.Any(p => p.Free > 0))
        {
            return HostCheckFinding.Pass(seen + ".");
        }
        ulong size = HugePageSize.DefaultKiB(defaultKiB, pools.Select(p => p.SizeKiB));
        ulong count = size >= 1024 * 1024 ? 2UL : 1024UL;
        string[] remedy = ctx.IsRemote
            ? new[] { $"# On that host: echo {count} > /proc/sys/vm/nr_hugepages" }
            : new[]
            {
                $"# {count} x {HugePageSize.Text(size)} = {HugePageSize.Text(count * size)}: size the pool to the guests that use huge pages.",
                WriteFileCommand(ctx, "/proc/sys/vm/nr_hugepages", count.ToString(CultureInfo.InvariantCulture)),
                "# to keep it after a reboot:",
                WriteFileCommand(ctx, "/etc/sysctl.d/80-hugepages.conf", $"vm.nr_hugepages = {count}"),
                $"# or: Repair-KvmHost -Check HugePages -HugePageCount {count}",
            };
        bool anyReserved = pools.Any(p => p.Total > 0);
        return HostCheckFinding.Warn(seen + (anyReserved ? ": every reserved huge page is in use." : ": no huge pages are reserved, so guests cannot use them."), remedy);
    }

    /// <summary>The huge page pools libvirt reports, summed over the NUMA cells.</summary>
    private static List<(ulong SizeKiB, ulong Total, ulong Free)> RemotePools(KvmHost host)
    {
        var pages = host.NumaCells.SelectMany(c => c.Pages).ToList();
        var huge = HugePageSize.HugeSizesKiB(pages.Select(p => p.PageSizeBytes / 1024));
        return pages
            .Where(p => huge.Contains(p.PageSizeBytes / 1024))
            .GroupBy(p => p.PageSizeBytes / 1024)
            .Select(g => (g.Key, (ulong)g.Sum(p => (decimal)p.Total), (ulong)g.Sum(p => (decimal)(p.Free ?? 0))))
            .OrderBy(p => p.Key).ToList();
    }
}

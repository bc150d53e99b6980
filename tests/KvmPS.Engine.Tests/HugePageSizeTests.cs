using KvmPS.Engine.Host;
using KvmPS.Engine.HostChecks;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>The one huge page size rule that the host checks, the repairs and the memory tuning share.</summary>
public class HugePageSizeTests
{
    [Theory]
    [InlineData("2048kB", 2048UL)]
    [InlineData("2048 kB", 2048UL)]
    [InlineData("  1048576 kB\n", 1048576UL)]
    [InlineData("hugepages-2048kB", 2048UL)]
    [InlineData("hugepages-1048576kB", 1048576UL)]
    [InlineData("hugepages-64kB", 64UL)]
    [InlineData("2M", 2048UL)]
    [InlineData("2m", 2048UL)]
    [InlineData("1024M", 1048576UL)]
    [InlineData("1G", 1048576UL)]
    [InlineData("1GiB", 1048576UL)]
    [InlineData("16MB", 16384UL)]
    [InlineData("64K", 64UL)]
    public void Sizes_with_a_unit_parse_to_KiB(string text, ulong kib)
    {
        Assert.True(HugePageSize.TryParseKiB(text, out ulong parsed));
        Assert.Equal(kib, parsed);
        Assert.Equal(kib, HugePageSize.ParseKiB(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("2048")]          // no unit: bytes in a mount option, KiB in meminfo
    [InlineData("0kB")]
    [InlineData("hugepages-")]
    [InlineData("hugepages-2048")]
    [InlineData("2T")]
    [InlineData("2 MB extra")]
    [InlineData("kB")]
    [InlineData("-2M")]
    [InlineData("99999999999999999999G")]
    [InlineData("18014398509481984G")] // overflows as KiB
    public void Unknown_spellings_are_refused(string? text)
    {
        Assert.False(HugePageSize.TryParseKiB(text, out ulong kib));
        Assert.Equal(0UL, kib);
        if (text is not null)
        {
            var e = Assert.Throws<FormatException>(() => HugePageSize.ParseKiB(text));
            Assert.Contains("not a huge page size", e.Message);
        }
    }

    [Fact]
    public void Bytes_become_KiB_only_when_whole()
    {
        Assert.True(HugePageSize.TryBytesToKiB(2UL << 20, out ulong two));
        Assert.Equal(2048UL, two);
        Assert.True(HugePageSize.TryBytesToKiB(1UL << 30, out ulong gig));
        Assert.Equal(1048576UL, gig);
        Assert.False(HugePageSize.TryBytesToKiB((2UL << 20) + 1, out _));
        Assert.False(HugePageSize.TryBytesToKiB(0, out _));
        Assert.False(HugePageSize.TryBytesToKiB(512, out _));
    }

    [Fact]
    public void Huge_sizes_are_those_above_the_base_page()
    {
        Assert.Equal(new ulong[] { 2048, 1048576 }, HugePageSize.HugeSizesKiB(new ulong[] { 1048576, 4, 2048 }));
        // aarch64 with 4 KiB pages: 64 KiB contiguous pages are huge pages.
        Assert.Equal(new ulong[] { 64, 2048, 32768, 1048576 }, HugePageSize.HugeSizesKiB(new ulong[] { 4, 64, 2048, 32768, 1048576 }));
        // ppc64 or aarch64 with a 64 KiB base page: 64 KiB is not huge.
        Assert.Equal(new ulong[] { 16384 }, HugePageSize.HugeSizesKiB(new ulong[] { 64, 16384, 64 }));
        Assert.Empty(HugePageSize.HugeSizesKiB(new ulong[] { 4 }));
        // Nothing listed: the base page is taken as 4 KiB.
        Assert.Empty(HugePageSize.HugeSizesKiB(Array.Empty<ulong>()));
    }

    [Fact]
    public void The_default_size_comes_from_meminfo_then_the_smallest_offered_size_then_2_MiB()
    {
        const string meminfo = "MemTotal:       16318600 kB\nHugePages_Total:       0\nHugepagesize:       1048576 kB\nHugetlb:               0 kB\n";
        Assert.Equal(1048576UL, HugePageSize.ReadDefaultKiB(meminfo));
        Assert.Null(HugePageSize.ReadDefaultKiB("MemTotal: 1 kB\n"));
        Assert.Null(HugePageSize.ReadDefaultKiB(null));
        Assert.Null(HugePageSize.ReadDefaultKiB("Hugepagesize: 0 kB\n"));

        Assert.Equal(1048576UL, HugePageSize.DefaultKiB(1048576, new ulong[] { 2048 }));
        Assert.Equal(2048UL, HugePageSize.DefaultKiB(null, new ulong[] { 1048576, 2048 }));
        Assert.Equal(HugePageSize.AssumedDefaultKiB, HugePageSize.DefaultKiB(null, Array.Empty<ulong>()));
        Assert.Equal(2048UL, HugePageSize.AssumedDefaultKiB);
    }

    [Fact]
    public void Sizes_read_as_people_write_them_and_name_their_sysfs_pool()
    {
        Assert.Equal("2 MiB", HugePageSize.Text(2048));
        Assert.Equal("1 GiB", HugePageSize.Text(1048576));
        Assert.Equal("64 KiB", HugePageSize.Text(64));
        Assert.Equal("2 GiB", HugePageSize.Text(2048 * 1024));
        Assert.Equal("1536 KiB", HugePageSize.Text(1536));
        Assert.Equal("hugepages-2048kB", HugePageSize.SysfsName(2048));
        Assert.Equal("/sys/kernel/mm/hugepages/hugepages-1048576kB", HugePagePools.PoolDirectory(1048576));
        Assert.Equal(2048UL, HugePageSize.ParseKiB(HugePageSize.SysfsName(2048)));
    }

    [Fact]
    public void Pools_come_from_sysfs_with_the_default_size_set_through_proc()
    {
        var pools = HugePagePools.Read(new HostFileSystem(HostCheckTests.Fixture("amd-nested")));
        Assert.NotEmpty(pools);
        Assert.Equal(pools.OrderBy(p => p.SizeKiB).Select(p => p.SizeKiB), pools.Select(p => p.SizeKiB));
        ulong? defaultKiB = HugePagePools.DefaultKiB(new HostFileSystem(HostCheckTests.Fixture("amd-nested")));
        Assert.NotNull(defaultKiB);
        Assert.Equal("/proc/sys/vm/nr_hugepages", Assert.Single(pools, p => p.SizeKiB == defaultKiB).CountFile);
        Assert.All(pools.Where(p => p.SizeKiB != defaultKiB), p => Assert.Equal(HugePagePools.PoolDirectory(p.SizeKiB) + "/nr_hugepages", p.CountFile));
    }

    [Fact]
    public void Every_check_name_has_one_check_in_the_same_order()
    {
        Assert.Equal(HostCheckNames.All, HostChecker.Checks.Select(c => c.Name));
    }
}

using KvmPS.Engine.Host;
using Xunit;

namespace KvmPS.Engine.Tests;

public class CapabilitiesParserTests
{
    private static string Fixture(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "capabilities", name));

    [Fact]
    public void Test_driver_host_has_two_cells_of_eight_cpus()
    {
        CapabilitiesInfo caps = HostInfoReader.ParseCapabilities(Fixture("test-default.xml"));
        Assert.Equal(2, caps.Cells.Count);
        Assert.All(caps.Cells, c => Assert.Equal(8, c.Cpus.Count));
        Assert.Equal(Enumerable.Range(8, 8), caps.Cells[1].Cpus.Select(c => c.Id));
        Assert.Equal(2097152UL, caps.Cells[0].MemoryKiB);
        Assert.Equal(new[] { "test" }, caps.DomainTypes);
        Assert.False(caps.Iommu);
    }

    [Fact]
    public void Smt_host_keeps_siblings_sockets_and_pages()
    {
        CapabilitiesInfo caps = HostInfoReader.ParseCapabilities(Fixture("smt-2socket.xml"));
        Assert.Equal("x86_64", caps.Architecture);
        Assert.Equal("Intel", caps.CpuVendor);
        Assert.True(caps.Iommu);
        var cpu5 = caps.Cells[0].Cpus.Single(c => c.Id == 5);
        Assert.Equal("1,5", cpu5.Siblings);
        Assert.Equal(1, cpu5.CoreId);
        Assert.Equal(0, cpu5.CellId);
        Assert.Equal(1, caps.Cells[1].Cpus[0].SocketId);
        Assert.Contains((2048UL, 512UL), caps.Cells[0].Pages);
        Assert.Contains((1048576UL, 2UL), caps.Cells[1].Pages);
        Assert.Equal(new ulong[] { 4, 2048, 1048576 }, caps.PageSizesKiB);
    }

    [Fact]
    public void Kvm_is_offered_only_for_the_host_architecture()
    {
        CapabilitiesInfo caps = HostInfoReader.ParseCapabilities(Fixture("smt-2socket.xml"));
        Assert.Equal(new[] { "qemu", "kvm" }, caps.DomainTypes);

        string noKvm = Fixture("smt-2socket.xml").Replace("<domain type='kvm'/>", "");
        Assert.DoesNotContain("kvm", HostInfoReader.ParseCapabilities(noKvm).DomainTypes);
    }

    [Theory]
    [InlineData("1024", "b", 1UL)]
    [InlineData("4", "KiB", 4UL)]
    [InlineData("2", "MiB", 2048UL)]
    [InlineData("1", "GiB", 1048576UL)]
    [InlineData("16", null, 16UL)]
    public void Units_convert_to_KiB(string value, string? unit, ulong kib) =>
        Assert.Equal(kib, HostInfoReader.ToKiB(value, unit));
}

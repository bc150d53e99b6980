using System.Xml.Linq;
using KvmPS.Engine.Domains;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>Set-KvmVM's checks before a change (VmSettingsCheck): topology, NUMA cells, huge pages.</summary>
public sealed class VmSettingsCheckTests
{
    private static XElement Domain(string cpu = "", string backing = "") => XElement.Parse(
        $"<domain><name>v</name><memory unit='KiB'>2097152</memory><vcpu>4</vcpu>{cpu}{backing}</domain>");

    private const string Topology = "<cpu><topology sockets='1' dies='1' cores='2' threads='2'/></cpu>";

    private const string Cells = "<cpu><numa><cell id='0' cpus='0-1' memory='1048576' unit='KiB'/><cell id='1' cpus='2-3' memory='1' unit='GiB'/></numa></cpu>";

    [Fact]
    public void A_plain_vm_takes_any_count_and_size()
    {
        Assert.Null(VmSettingsCheck.Check("v", Domain(), 7, 3UL << 30));
    }

    [Theory]
    [InlineData(4, null)]
    [InlineData(3, "TopologyMismatch")]
    [InlineData(8, "TopologyMismatch")]
    public void The_vcpu_count_must_match_the_topology(int vcpus, string? errorId)
    {
        var r = VmSettingsCheck.Check("v", Domain(Topology), vcpus, null);
        Assert.Equal(errorId, r?.ErrorId);
        if (r is { } refusal)
        {
            Assert.Contains("1 sockets x 2 cores x 2 threads = 4 vCPUs", refusal.Message);
            Assert.Contains("Nothing was changed", refusal.Message);
        }
    }

    [Theory]
    [InlineData(4, 2UL << 30, null)]
    [InlineData(2, null, "NumaCellsDoNotMatchVCpus")]
    [InlineData(6, null, "NumaCellsDoNotMatchVCpus")]
    [InlineData(null, 4UL << 30, "MemoryDoesNotMatchNumaCells")]
    public void Count_and_memory_must_match_the_numa_cells(int? vcpus, ulong? memory, string? errorId)
    {
        var r = VmSettingsCheck.Check("v", Domain(Cells), vcpus, memory);
        Assert.Equal(errorId, r?.ErrorId);
        if (r is { } refusal)
        {
            Assert.Contains("Set-KvmNuma", refusal.Message);
        }
    }

    [Theory]
    [InlineData(2UL << 30, null)]
    [InlineData(3UL << 20, "MemoryNotPageAligned")]
    [InlineData((2UL << 30) + 512, "MemoryNotPageAligned")]
    public void Memory_must_be_whole_huge_pages(ulong memory, string? errorId)
    {
        string backing = "<memoryBacking><hugepages><page size='2048' unit='KiB'/></hugepages></memoryBacking>";
        Assert.Equal(errorId, VmSettingsCheck.Check("v", Domain(backing: backing), null, memory)?.ErrorId);
    }
}

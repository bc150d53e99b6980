using KvmPS.Engine.Statistics;
using Xunit;

namespace KvmPS.Engine.Tests.Statistics;

/// <summary>Building the public object from libvirt's field names, and rates between two records.</summary>
public class VmStatisticsBuilderTests
{
    private static readonly Guid Id = Guid.Parse("11111111-2222-3333-4444-555555555555");

    private static DomainStatsRecord Record(Dictionary<string, object> fields) => new("web1", Id, new TypedParameters(fields));

    private static Dictionary<string, object> Fields(ulong cpuNs, ulong rdBytes, ulong wrBytes, ulong rxBytes, ulong vcpu0Ns) => new()
    {
        ["state.state"] = 1L, ["state.reason"] = 1L,
        ["cpu.time"] = cpuNs, ["cpu.user"] = cpuNs / 2, ["cpu.system"] = cpuNs / 4,
        ["balloon.current"] = 1048576UL, ["balloon.maximum"] = 2097152UL, ["balloon.rss"] = 524288UL,
        ["balloon.available"] = 1000000UL, ["balloon.unused"] = 400000UL, ["balloon.usable"] = 600000UL,
        ["vcpu.current"] = 2UL, ["vcpu.maximum"] = 2UL,
        ["vcpu.0.state"] = 1L, ["vcpu.0.time"] = vcpu0Ns, ["vcpu.1.state"] = 2L, ["vcpu.1.time"] = 5UL,
        ["net.count"] = 1UL, ["net.0.name"] = "vnet3", ["net.0.rx.bytes"] = rxBytes, ["net.0.tx.bytes"] = 10UL,
        ["net.0.rx.pkts"] = 3UL, ["net.0.tx.pkts"] = 1UL,
        ["block.count"] = 2UL,
        ["block.0.name"] = "vda", ["block.0.path"] = "/img/a.qcow2", ["block.0.rd.bytes"] = rdBytes, ["block.0.wr.bytes"] = wrBytes,
        ["block.0.rd.reqs"] = 10UL, ["block.0.wr.reqs"] = 20UL, ["block.0.capacity"] = 1073741824UL,
        ["block.1.name"] = "vdb", ["block.1.rd.bytes"] = 1000UL, ["block.1.wr.bytes"] = 0UL,
    };

    [Fact]
    public void A_single_record_has_counters_and_no_rates()
    {
        KvmVMStatistics s = VmStatisticsBuilder.Build(Record(Fields(5_000_000_000, 100, 200, 300, 7)), null, null, DateTime.UnixEpoch, "qemu:///system");
        Assert.Equal("web1", s.VMName);
        Assert.Equal(Id, s.Uuid);
        Assert.Equal(KvmVMState.Running, s.State);
        Assert.Equal(2, s.VCpuCount);
        Assert.Equal(5_000_000_000UL, s.CpuTimeNs);
        Assert.Null(s.CpuPercent);
        Assert.Null(s.IntervalSeconds);
        Assert.Equal(1048576UL * 1024, s.MemoryBytes);
        Assert.Equal(524288UL * 1024, s.MemoryRssBytes);
        Assert.Equal(600000UL * 1024, s.MemoryUsableBytes);
        Assert.Equal(1100UL, s.DiskReadBytes);          // both disks
        Assert.Equal(200UL, s.DiskWriteBytes);
        Assert.Null(s.DiskWriteBytesPerSec);
        Assert.Equal(new[] { "vda", "vdb" }, s.Disks.Select(d => d.Name));
        Assert.Equal("/img/a.qcow2", s.Disks[0].Path);
        Assert.Equal(1073741824UL, s.Disks[0].CapacityBytes);
        Assert.Equal("vnet3", s.NetworkAdapters.Single().Name);
        Assert.Equal(new[] { KvmVCpuState.Running, KvmVCpuState.Blocked }, s.VCpus.Select(v => v.State!.Value));
    }

    [Fact]
    public void Two_records_give_rates_and_cpu_percent()
    {
        var before = Record(Fields(5_000_000_000, 100, 200, 300, 1_000_000_000));
        var now = Record(Fields(6_000_000_000, 100, 64 * 1048576UL + 200, 2300, 1_500_000_000));
        KvmVMStatistics s = VmStatisticsBuilder.Build(now, before, 2.0, DateTime.UnixEpoch, "u");
        Assert.Equal(2.0, s.IntervalSeconds);
        // 1e9 ns over 2 s on 2 vCPUs: a quarter of the VM.
        Assert.Equal(25.0, s.CpuPercent);
        Assert.Equal(32 * 1048576.0, s.DiskWriteBytesPerSec);
        Assert.Equal(0.0, s.DiskReadBytesPerSec);
        Assert.Equal(1000.0, s.NetworkRxBytesPerSec);
        Assert.Equal(25.0, s.VCpus[0].CpuPercent);       // 0.5e9 ns in 2 s of one vCPU
    }

    [Fact]
    public void Devices_are_matched_by_name_not_index()
    {
        var before = Record(Fields(0, 0, 0, 0, 0));
        var fields = Fields(0, 0, 0, 0, 0);
        // The disks swapped their indexes: vdb first now, with 500 bytes more.
        fields["block.0.name"] = "vdb"; fields["block.0.path"] = ""; fields["block.0.rd.bytes"] = 1500UL; fields["block.0.wr.bytes"] = 0UL;
        fields["block.1.name"] = "vda"; fields["block.1.rd.bytes"] = 0UL; fields["block.1.wr.bytes"] = 0UL;
        KvmVMStatistics s = VmStatisticsBuilder.Build(Record(fields), before, 1.0, DateTime.UnixEpoch, "u");
        Assert.Equal(500.0, s.Disks.Single(d => d.Name == "vdb").ReadBytesPerSec);
        Assert.Equal(0.0, s.Disks.Single(d => d.Name == "vda").ReadBytesPerSec);
    }

    [Fact]
    public void A_restarted_vm_gives_no_rates_rather_than_negative_ones()
    {
        var before = Record(Fields(9_000_000_000, 5000, 5000, 5000, 9));
        var now = Record(Fields(1_000_000_000, 10, 10, 10, 1));
        KvmVMStatistics s = VmStatisticsBuilder.Build(now, before, 1.0, DateTime.UnixEpoch, "u");
        Assert.Null(s.CpuPercent);
        Assert.Null(s.Disks.Single(d => d.Name == "vda").ReadBytesPerSec);
        Assert.Null(s.NetworkRxBytesPerSec);
        Assert.Null(s.VCpus[0].CpuPercent);
    }

    [Fact]
    public void A_state_only_record_leaves_the_rest_empty()
    {
        var r = Record(new Dictionary<string, object> { ["state.state"] = 5L, ["state.reason"] = 0L });
        KvmVMStatistics s = VmStatisticsBuilder.Build(r, r, 1.0, DateTime.UnixEpoch, "u");
        Assert.Equal(KvmVMState.ShutOff, s.State);
        Assert.Null(s.CpuPercent);
        Assert.Null(s.MemoryBytes);
        Assert.Null(s.DiskReadBytes);
        Assert.Empty(s.Disks);
        Assert.Empty(s.VCpus);
    }

    [Fact]
    public void Build_all_picks_the_selected_vms_and_sorts_by_name()
    {
        var a = new DomainStatsRecord("b-vm", Guid.NewGuid(), new TypedParameters(new Dictionary<string, object> { ["state.state"] = 1L }));
        var b = new DomainStatsRecord("a-vm", Guid.NewGuid(), new TypedParameters(new Dictionary<string, object> { ["state.state"] = 1L }));
        var c = new DomainStatsRecord("other", Guid.NewGuid(), new TypedParameters(new Dictionary<string, object> { ["state.state"] = 1L }));
        var sample = new StatsSample("u", DateTime.UnixEpoch, 0, new[] { a, b, c });
        var sel = new VmSelection();
        sel.AddName("*-VM");
        Assert.Equal(new[] { "a-vm", "b-vm" }, VmStatisticsBuilder.BuildAll(sample, null, sel.Includes).Select(s => s.VMName));
        sel.AddName("missing");
        Assert.Equal(new[] { "missing" }, sel.MissingNames(sample.Records));
    }
}

using KvmPS.Engine.Migration;
using Xunit;

namespace KvmPS.Engine.Tests;

public class MigrationDecisionTests
{
    private static MigrationRequest Req(Func<MigrationRequest, MigrationRequest>? change = null)
    {
        var r = new MigrationRequest { DestinationUri = "qemu+tcp://h2/system" };
        return change is null ? r : change(r);
    }

    private const string Vm = """
        <domain type='qemu'><name>web1</name>
          <devices>
            <disk type='file' device='disk'><source file='/var/lib/libvirt/images/web1.qcow2'/><target dev='vda'/></disk>
            <disk type='file' device='cdrom'><target dev='sda'/><readonly/></disk>
            <disk type='network' device='disk'><source protocol='rbd' name='pool/img'/><target dev='vdb'/></disk>
            <disk type='volume' device='disk'><source pool='fast' volume='data'/><target dev='vdc'/></disk>
            <interface type='network'><mac address='52:54:00:00:00:01'/><source network='prod'/></interface>
          </devices>
        </domain>
        """;

    private static DestinationFacts Dest(Func<DestinationFacts, DestinationFacts>? change = null)
    {
        var d = new DestinationFacts
        {
            Networks = new HashSet<string> { "prod" },
            Pools = new HashSet<string> { "fast", "default" },
            PoolDirectories = new HashSet<string> { "/var/lib/libvirt/images" },
            HasVolumeAt = _ => false,
        };
        return change is null ? d : change(d);
    }

    [Fact]
    public void A_live_move_with_storage_copy_gets_the_flags_virsh_gives_and_typed_params()
    {
        var plan = MigrationPlan.For(Req(r => r with { Live = true, CopyStorage = KvmStorageCopy.All, Persistent = true, UndefineSource = true, MigrationUri = "tcp://10.0.0.2", BandwidthMiBps = 100 }), "web1", running: true);
        Assert.Equal(MigrationFlags.Live | MigrationFlags.NonSharedDisk | MigrationFlags.PersistDest | MigrationFlags.UndefineSource | MigrationFlags.AbortOnError, plan.Flags);
        Assert.Equal(1u + 64 + 8 + 16 + 4096, (uint)plan.Flags);
        Assert.Contains(plan.Parameters, p => p.Key == "migrate_uri" && (string)p.Value == "tcp://10.0.0.2");
        Assert.Contains(plan.Parameters, p => p.Key == "bandwidth" && p.Value is ulong u && u == 100);
        Assert.Contains(plan.Parameters, p => p.Key == "destination_name" && (string)p.Value == "web1");
        Assert.DoesNotContain(MigrationFlags.PeerToPeer, new[] { plan.Flags & MigrationFlags.PeerToPeer });
    }

    [Fact]
    public void A_shut_off_vm_moves_offline_and_persistent_and_incremental_copy_is_its_own_flag()
    {
        Assert.Equal(MigrationFlags.Offline | MigrationFlags.PersistDest | MigrationFlags.AbortOnError, MigrationPlan.For(Req(), "v", running: false).Flags);
        Assert.True(MigrationPlan.For(Req(r => r with { CopyStorage = KvmStorageCopy.Incremental, Live = true, PostCopy = true, AutoConverge = true }), "v", true)
            .Flags.HasFlag(MigrationFlags.NonSharedIncremental | MigrationFlags.PostCopy | MigrationFlags.AutoConverge));
    }

    [Theory]
    [InlineData("udp://x", true)]
    [InlineData("tcp://", true)]
    [InlineData("tcp://10.1.1.1:49152", false)]
    public void The_migration_uri_must_be_tcp_with_an_address(string uri, bool invalid)
    {
        Assert.Equal(invalid, MigrationPlan.Invalid(Req(r => r with { MigrationUri = uri }), running: true) is not null);
    }

    [Fact]
    public void Live_options_on_a_shut_off_vm_and_post_copy_without_live_are_invalid()
    {
        Assert.NotNull(MigrationPlan.Invalid(Req(r => r with { Live = true }), running: false));
        Assert.NotNull(MigrationPlan.Invalid(Req(r => r with { PostCopy = true }), running: true));
        Assert.Null(MigrationPlan.Invalid(Req(r => r with { Live = true }), running: true));
    }

    [Fact]
    public void A_local_disk_without_storage_copy_is_refused_as_unsafe_and_the_others_pass()
    {
        var refusals = MigrationCheck.Refusals(Vm, Req(r => r with { Live = true }), Dest(), running: true);
        Assert.Equal(new[] { "UnsafeMigration" }, refusals.Select(r => r.ErrorId));
        Assert.Contains("vda", refusals[0].Message);
    }

    [Fact]
    public void With_storage_copy_the_disk_needs_a_pool_at_its_directory_on_the_destination()
    {
        Assert.Empty(MigrationCheck.Refusals(Vm, Req(r => r with { CopyStorage = KvmStorageCopy.All }), Dest(), true));
        var refusals = MigrationCheck.Refusals(Vm, Req(r => r with { CopyStorage = KvmStorageCopy.All }), Dest(d => d with { PoolDirectories = new HashSet<string>() }), true);
        Assert.Equal("DestinationLacksStorage", Assert.Single(refusals).ErrorId);
    }

    [Fact]
    public void A_disk_the_destination_has_at_the_same_path_counts_as_shared()
    {
        Assert.Empty(MigrationCheck.Refusals(Vm, Req(), Dest(d => d with { HasVolumeAt = p => p == "/var/lib/libvirt/images/web1.qcow2" }), true));
    }

    [Fact]
    public void Missing_networks_and_pools_an_incompatible_cpu_and_an_existing_vm_are_each_refused()
    {
        var refusals = MigrationCheck.Refusals(Vm, Req(r => r with { CopyStorage = KvmStorageCopy.All }),
            Dest(d => d with { Networks = new HashSet<string>(), Pools = new HashSet<string>(), CpuComparison = 0, HasDomain = true }), true);
        Assert.Equal(new[] { "DestinationHasVM", "CpuIncompatible", "DestinationLacksNetwork", "DestinationLacksPool" }, refusals.Select(r => r.ErrorId));
        Assert.Contains("prod", refusals[2].Message);
        Assert.Contains("fast", refusals[3].Message);
    }

    [Fact]
    public void A_compatible_cpu_superset_passes()
    {
        Assert.Empty(MigrationCheck.Refusals(Vm, Req(r => r with { CopyStorage = KvmStorageCopy.All }), Dest(d => d with { CpuComparison = 2 }), true));
    }

    [Fact]
    public void Only_a_cpu_that_names_a_model_is_compared()
    {
        Assert.Null(HostCpu.DomainCpuToCompare("<domain><name>a</name></domain>"));
        Assert.Null(HostCpu.DomainCpuToCompare("<domain><cpu mode='host-passthrough'/></domain>"));
        string? cpu = HostCpu.DomainCpuToCompare("<domain><cpu mode='host-model'><model>Haswell</model><topology sockets='1' cores='2' threads='1'/></cpu></domain>");
        Assert.NotNull(cpu);
        Assert.Contains("mode=\"custom\"", cpu);
        Assert.DoesNotContain("topology", cpu);
    }

    [Fact]
    public void Progress_reads_as_percent_and_a_line_with_the_rate()
    {
        var p = new MigrationProgress(400UL << 20, 300UL << 20, 100UL << 20, 50UL << 20, 30, 1000);
        Assert.Equal(75, p.Percent);
        Assert.Equal("100 MiB of 400 MiB remaining, 50 MiB/s, downtime 30 ms", p.Describe());
        Assert.Equal(-1, new MigrationProgress(null, null, null, null, null, null).Percent);
    }
}

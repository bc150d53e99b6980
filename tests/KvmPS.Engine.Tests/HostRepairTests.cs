using KvmPS.Engine.HostChecks;
using Xunit;
using static KvmPS.Engine.Tests.HostCheckTests;

namespace KvmPS.Engine.Tests;

/// <summary>What Repair-KvmHost would do on each fixture host, step by step.</summary>
public class HostRepairTests
{
    private static readonly RepairOptions None = new();
    private static readonly RepairOptions Packages = new() { AllowPackageInstall = true };

    private static string[] Commands(RepairPlan plan) => plan.Steps.Select(s => s.CommandText).ToArray();

    /// <summary>A plan with no step, only a note for the administrator that says <paramref name="why"/>.</summary>
    private static void AssertManual(RepairPlan plan, string why)
    {
        Assert.Empty(plan.Steps);
        Assert.Contains(why, plan.Note);
    }

    [Fact]
    public void Kvm_modules_load_with_modprobe_and_kmod_only_with_package_install()
    {
        var ctx = Context("intel-fresh");
        AssertManual(HostRepairPlanner.Plan(HostCheckNames.KvmModules, ctx, None), "-AllowPackageInstall");
        Assert.Equal(new[] { "apt-get install -y kmod", "modprobe kvm_intel" }, Commands(HostRepairPlanner.Plan(HostCheckNames.KvmModules, ctx, Packages)));
        // /dev/kvm comes with the module: the same command, which the cmdlet runs once.
        Assert.Equal(new[] { "apt-get install -y kmod", "modprobe kvm_intel" }, Commands(HostRepairPlanner.Plan(HostCheckNames.KvmDevice, ctx, Packages)));
    }

    [Fact]
    public void Daemon_and_qemu_are_installed_only_when_allowed_then_started()
    {
        var ctx = Context("intel-fresh");
        Assert.Contains("-AllowPackageInstall", HostRepairPlanner.Plan(HostCheckNames.LibvirtDaemon, ctx, None).Note);
        Assert.Equal(new[] { "apt-get install -y libvirt-daemon-system", "systemctl enable --now libvirtd" },
            Commands(HostRepairPlanner.Plan(HostCheckNames.LibvirtDaemon, ctx, Packages)));
        Assert.Equal(new[] { "apt-get install -y qemu-system-x86" }, Commands(HostRepairPlanner.Plan(HostCheckNames.QemuEmulator, ctx, Packages)));
        Assert.Empty(HostRepairPlanner.Plan(HostCheckNames.QemuEmulator, ctx, None).Steps);
    }

    [Fact]
    public void Without_systemd_the_daemons_start_by_hand()
    {
        var plan = HostRepairPlanner.Plan(HostCheckNames.LibvirtDaemon, Context("kvm-no-group"), None);
        Assert.Equal(new[] { "virtlogd -d", "libvirtd -d" }, Commands(plan));
        Assert.All(plan.Steps, s => Assert.Equal(DeadUri, s.Target));
    }

    [Fact]
    public void A_reachable_daemon_needs_nothing()
    {
        var plan = HostRepairPlanner.Plan(HostCheckNames.LibvirtDaemon, Context("kvm-no-group", "test:///default"), Packages);
        Assert.Empty(plan.Steps);
        Assert.Null(plan.Note);
    }

    [Fact]
    public void User_is_added_to_the_groups_it_lacks()
    {
        var ctx = Context("kvm-no-group");
        RepairPlan plan = HostRepairPlanner.Plan(HostCheckNames.UserGroups, ctx, None);
        Assert.Equal(new[] { "usermod -aG kvm bob" }, Commands(plan));
        Assert.Contains("log out and back in", plan.Note);
        Assert.Equal("kvm: not a member", plan.Steps[0].ReadState());
        Assert.Equal(new[] { "usermod -aG kvm bob" }, Commands(HostRepairPlanner.Plan(HostCheckNames.KvmDevice, ctx, None)));
        Assert.Empty(HostRepairPlanner.Plan(HostCheckNames.UserGroups, Context("amd-nested"), None).Steps);
    }

    [Fact]
    public void Nested_virtualization_is_configured_then_the_module_reloaded()
    {
        RepairPlan plan = HostRepairPlanner.Plan(HostCheckNames.NestedVirtualization, Context("kvm-no-group"), None);
        Assert.Equal(new[]
        {
            "echo 'options kvm_intel nested=1' > /etc/modprobe.d/kvm-nested.conf",
            "modprobe -r kvm_intel",
            "modprobe kvm_intel",
        }, Commands(plan));
        Assert.True(plan.Steps[0].CreateFile);
        Assert.Equal("kvm_intel: loaded, nested = N", plan.Steps[1].ReadState());
        Assert.Empty(HostRepairPlanner.Plan(HostCheckNames.NestedVirtualization, Context("amd-nested"), None).Steps);
    }

    [Fact]
    public void Huge_pages_need_a_count_and_grow_by_the_shortfall()
    {
        var ctx = Context("kvm-no-group");
        AssertManual(HostRepairPlanner.Plan(HostCheckNames.HugePages, ctx, None), "-HugePageCount");

        RepairStep step = Assert.Single(HostRepairPlanner.Plan(HostCheckNames.HugePages, ctx, new RepairOptions { HugePageCount = 8 }).Steps);
        Assert.Equal("/proc/sys/vm/nr_hugepages", step.FilePath);
        Assert.Equal("8", step.FileContent);
        Assert.Equal("Reserve 8 more 2 MiB huge pages (0 -> 8)", step.Action);

        RepairStep gig = Assert.Single(HostRepairPlanner.Plan(HostCheckNames.HugePages, ctx, new RepairOptions { HugePageCount = 1, HugePageSizeBytes = 1UL << 30 }).Steps);
        Assert.Equal("/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages", gig.FilePath);

        var e = Assert.Throws<ArgumentException>(() => HostRepairPlanner.Plan(HostCheckNames.HugePages, ctx, new RepairOptions { HugePageCount = 1, HugePageSizeBytes = 4UL << 20 }));
        Assert.Contains("2097152 (2 MiB), 1073741824 (1 GiB)", e.Message);

        // 1000 of 1024 free already: asking for 1010 free adds 10, never lowers the pool.
        RepairStep more = Assert.Single(HostRepairPlanner.Plan(HostCheckNames.HugePages, Context("intel-kvm"), new RepairOptions { HugePageCount = 1010 }).Steps);
        Assert.Equal("1034", more.FileContent);
        Assert.Empty(HostRepairPlanner.Plan(HostCheckNames.HugePages, Context("intel-kvm"), new RepairOptions { HugePageCount = 100 }).Steps);
    }

    [Fact]
    public void Huge_page_write_lands_in_the_tree_and_reads_back()
    {
        string root = CopyFixture("kvm-no-group");
        try
        {
            var ctx = new HostCheckContext(new HostFileSystem(root), DeadUri, null);
            RepairStep step = Assert.Single(HostRepairPlanner.Plan(HostCheckNames.HugePages, ctx, new RepairOptions { HugePageCount = 8 }).Steps);
            KvmHostRepair done = HostRepairRunner.Apply(step, ctx, CancellationToken.None);
            Assert.Equal("8", File.ReadAllText(Path.Combine(root, "proc/sys/vm/nr_hugepages")));
            Assert.Equal("2 MiB: 0 reserved, 0 free", done.Before);
            Assert.Equal("echo 8 > /proc/sys/vm/nr_hugepages", done.Command);
            Assert.Equal("kvm-no-group", done.ComputerName);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Commands_are_not_run_against_a_fixture_tree()
    {
        var ctx = Context("kvm-no-group");
        RepairStep step = HostRepairPlanner.Plan(HostCheckNames.Tun, ctx, None).Steps.Single();
        Assert.Equal("modprobe tun", step.CommandText);
        var e = Assert.Throws<HostRepairException>(() => HostRepairRunner.Apply(step, ctx, CancellationToken.None));
        Assert.Contains("was not run", e.Message);
    }

    [Fact]
    public void Vhost_net_is_loaded_and_kept_across_boots()
    {
        RepairPlan plan = HostRepairPlanner.Plan(HostCheckNames.VhostNet, Context("kvm-no-group"), None);
        Assert.Equal(new[] { "modprobe vhost_net", "echo vhost_net > /etc/modules-load.d/vhost_net.conf" }, Commands(plan));
    }

    [Theory]
    [InlineData(HostCheckNames.CpuVirtualization)]
    [InlineData(HostCheckNames.Iommu)]
    [InlineData(HostCheckNames.Cgroups)]
    [InlineData(HostCheckNames.SecurityDriver)]
    [InlineData(HostCheckNames.KvmDomainType)]
    public void Firmware_kernel_and_config_changes_are_left_to_the_administrator(string check)
    {
        AssertManual(HostRepairPlanner.Plan(check, Context("no-virt"), Packages), "");
    }

    [Fact]
    public void A_kernel_without_module_support_gets_no_modprobe()
    {
        string root = CopyFixture("kvm-no-group");
        try
        {
            File.Delete(Path.Combine(root, "proc/modules"));
            var ctx = new HostCheckContext(new HostFileSystem(root), DeadUri, null);
            AssertManual(HostRepairPlanner.Plan(HostCheckNames.VhostNet, ctx, Packages), "cannot load modules");
            Assert.Contains("CONFIG_VHOST_NET", HostChecker.Run(ctx, new[] { HostCheckNames.VhostNet }).Checks[0].Remedy);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Nothing_is_planned_for_a_remote_host()
    {
        var ctx = new HostCheckContext(new HostFileSystem(Fixture("kvm-no-group")), "qemu+ssh://h/system", null);
        AssertManual(HostRepairPlanner.Plan(HostCheckNames.Tun, ctx, Packages), "local host only");
    }

    [Fact]
    public void Only_warnings_and_failures_are_repaired_except_huge_pages_with_a_count()
    {
        KvmHostCheck Check(string name, KvmCheckStatus status) => new() { Name = name, Status = status };
        Assert.True(HostRepairPlanner.Wants(Check(HostCheckNames.Tun, KvmCheckStatus.Fail), None));
        Assert.True(HostRepairPlanner.Wants(Check(HostCheckNames.VhostNet, KvmCheckStatus.Warn), None));
        Assert.False(HostRepairPlanner.Wants(Check(HostCheckNames.Tun, KvmCheckStatus.Pass), Packages));
        Assert.False(HostRepairPlanner.Wants(Check(HostCheckNames.QemuEmulator, KvmCheckStatus.Skip), Packages));
        Assert.False(HostRepairPlanner.Wants(Check(HostCheckNames.HugePages, KvmCheckStatus.Pass), None));
        Assert.True(HostRepairPlanner.Wants(Check(HostCheckNames.HugePages, KvmCheckStatus.Pass), new RepairOptions { HugePageCount = 8 }));
        Assert.False(HostRepairPlanner.Wants(Check(HostCheckNames.Tun, KvmCheckStatus.Pass), new RepairOptions { HugePageCount = 8 }));
    }
}

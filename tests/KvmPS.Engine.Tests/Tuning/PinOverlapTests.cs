using System.Xml.Linq;
using KvmPS.Engine.Native;
using KvmPS.Engine.Tuning;
using Xunit;

namespace KvmPS.Engine.Tests.Tuning;

// -Auto keeps off every host CPU another VM's pins hold: vCPU pins, the emulator pin, IOThread
// pins and <vcpu cpuset>. The host is a private copy of tests/fixtures/testdriver/pinned-vms.xml
// (2 cells: CPUs 0-3 and 4-7), where other VMs hold 0, 1, 2, 4 and 5.
public sealed class PinOverlapTests : IDisposable
{
    private readonly string _hostFile;

    public PinOverlapTests()
    {
        _hostFile = Path.Combine(Path.GetTempPath(), $"kvmps-overlap-{Guid.NewGuid():N}.xml");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "fixtures", "testdriver", "pinned-vms.xml"), _hostFile);
    }

    public void Dispose() => File.Delete(_hostFile);

    private LibvirtConnection Open() => LibvirtConnection.Open("test://" + _hostFile);

    private static readonly IReadOnlySet<int> EightCpus = Enumerable.Range(0, 8).ToHashSet();

    private static HostCpuClaims Claims(string vm, string xml)
    {
        var c = new HostCpuClaims();
        c.AddDomain(vm, XElement.Parse(xml), EightCpus);
        return c;
    }

    [Fact]
    public void Every_kind_of_pin_holds_its_cpus()
    {
        HostCpuClaims c = Claims("a", """
            <domain><vcpu cpuset='6-7'>2</vcpu><iothreads>2</iothreads>
              <cputune><vcpupin vcpu='0' cpuset='0'/><emulatorpin cpuset='3'/>
                <iothreadpin iothread='1' cpuset='4'/></cputune></domain>
            """);
        // vCPU 1 and IOThread 2 have no pin of their own: they run on the cpuset.
        Assert.Equal(new[] { 0, 3, 4, 6, 7 }, c.Cpus.Order());
        Assert.Equal("'a' (vCPUs 0, emulator 3, IOThreads 4, cpuset 6,7)", c.Describe(EightCpus));
        Assert.Equal("'a' (emulator 3)", c.Describe(new[] { 3, 5 }));
        Assert.Equal(new[] { "a" }, c.HoldersOf(new[] { 7 }));
        Assert.Empty(c.HoldersOf(new[] { 5 }));
    }

    [Fact]
    public void A_cpuset_that_no_thread_falls_back_to_holds_nothing()
    {
        HostCpuClaims c = Claims("a", """
            <domain><vcpu cpuset='6-7'>1</vcpu>
              <cputune><vcpupin vcpu='0' cpuset='0'/><emulatorpin cpuset='1'/></cputune></domain>
            """);
        Assert.Equal(new[] { 0, 1 }, c.Cpus.Order());
    }

    [Fact]
    public void A_pin_to_every_host_cpu_holds_nothing()
    {
        HostCpuClaims c = Claims("a", "<domain><vcpu cpuset='0-7'>1</vcpu><cputune><emulatorpin cpuset='0-7'/></cputune></domain>");
        Assert.Empty(c.Cpus);
        Assert.Equal("", c.Describe(EightCpus));
    }

    [Fact]
    public void The_planner_keeps_off_other_vms_emulator_iothread_and_cpuset_cpus()
    {
        using var conn = Open();
        using DomainHandle h = conn.LookupDomain("kvmps-po-small");
        PinApplication plan = PinApplier.Plan(conn, h, "kvmps-po-small", new PinChangeRequest { Auto = true });
        // Free are 3, 6 and 7: the two vCPUs fit only in cell 1, the emulator gets the last free CPU.
        Assert.Equal(new[] { 6, 7 }, plan.Change.VCpus.OrderBy(p => p.Key).Select(p => p.Value.Single()));
        Assert.Equal(new[] { 3 }, plan.Change.Emulator);
    }

    [Fact]
    public void Too_few_free_cpus_is_refused_naming_the_vms_that_hold_them()
    {
        using var conn = Open();
        using DomainHandle h = conn.LookupDomain("kvmps-po-target");
        var e = Assert.Throws<TuningException>(() => PinApplier.Plan(conn, h, "kvmps-po-target", new PinChangeRequest { Auto = true }));
        Assert.Equal("NotEnoughHostCpus", e.ErrorId);
        Assert.Equal(TuningErrorKind.ResourceUnavailable, e.Kind);
        Assert.Equal(
            "The VM needs 4 host CPUs but only 3 of 8 are free (5 held by other VMs' pins: 'kvmps-po-cpuset' (cpuset 4,5), "
            + "'kvmps-po-emulator' (vCPUs 0, emulator 1), 'kvmps-po-iothread' (vCPUs 0, emulator 0, IOThreads 2); -AllowOverlap shares them).",
            e.Message);
        Assert.DoesNotContain("kvmps-po-wide", e.Message);
    }

    [Fact]
    public void AllowOverlap_may_use_the_cpus_other_vms_hold()
    {
        using var conn = Open();
        using DomainHandle h = conn.LookupDomain("kvmps-po-target");
        PinApplication plan = PinApplier.Plan(conn, h, "kvmps-po-target", new PinChangeRequest { Auto = true, AllowOverlap = true });
        Assert.Equal(new[] { 0, 1, 2, 3 }, plan.Change.VCpus.OrderBy(p => p.Key).Select(p => p.Value.Single()));
    }

    [Fact]
    public void Excluded_cpus_are_not_counted_as_held()
    {
        // Excluding the held CPUs of cell 0 leaves 3, 6, 7 free and names only the VMs whose CPUs count.
        using var conn = Open();
        using DomainHandle h = conn.LookupDomain("kvmps-po-target");
        var e = Assert.Throws<TuningException>(() =>
            PinApplier.Plan(conn, h, "kvmps-po-target", new PinChangeRequest { Auto = true, ExcludeHostCpu = "0-2" }));
        Assert.Contains("only 3 of 8 are free (2 held by other VMs' pins: 'kvmps-po-cpuset' (cpuset 4,5);", e.Message);
    }
}

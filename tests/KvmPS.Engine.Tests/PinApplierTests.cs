using System.Xml.Linq;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;
using KvmPS.Engine.Tuning;
using Xunit;

namespace KvmPS.Engine.Tests;

// The pin applier against libvirt's test driver, on a private copy of the SMT fixture host
// (2 cells x 2 cores x 2 threads, CPUs 0-7; its two VMs run and are persistent).
public sealed class PinApplierTests : IDisposable
{
    private const string Vm = "kvmps-t6c-smt1";
    private readonly string _hostFile;

    public PinApplierTests()
    {
        _hostFile = Path.Combine(Path.GetTempPath(), $"kvmps-pins-{Guid.NewGuid():N}.xml");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "fixtures", "testdriver", "smt-host.xml"), _hostFile);
    }

    public void Dispose() => File.Delete(_hostFile);

    private LibvirtConnection Open() => LibvirtConnection.Open("test://" + _hostFile);

    private static PinState Live(DomainHandle h) => CpuTuneXml.Read(XElement.Parse(LibvirtConnection.GetXml(h)));

    private static PinState Config(DomainHandle h) => CpuTuneXml.Read(XElement.Parse(DomainService.GetInactiveXml(h)));

    /// <summary>Where each thread of the running VM may run: its pin, else every host CPU (a restored default shows as 0-7).</summary>
    private static string Where(DomainHandle h)
    {
        PinState s = Live(h);
        string Of(int[]? pin) => CpuSet.Format(pin ?? Enumerable.Range(0, 8).ToArray());
        return $"0={Of(s.VCpus.GetValueOrDefault(0))} 1={Of(s.VCpus.GetValueOrDefault(1))} em={Of(s.Emulator)}";
    }

    private static string Show(PinState s) =>
        string.Join(" ", s.VCpus.Select(p => $"{p.Key}={CpuSet.Format(p.Value)}")) + $" em={(s.Emulator is null ? "-" : CpuSet.Format(s.Emulator))}";

    private static PinChangeRequest MapRequest(params (int VCpu, string Cpus)[] pins) => new()
    {
        Map = pins.Select(p => new KeyValuePair<string, string?>(p.VCpu.ToString(), p.Cpus)).ToList(),
        EmulatorCpu = "6",
    };

    [Fact]
    public void A_running_persistent_vm_gets_its_pins_live_and_in_its_configuration()
    {
        using var conn = Open();
        using DomainHandle h = conn.LookupDomain(Vm);
        PinApplication plan = PinApplier.Plan(conn, h, Vm, MapRequest((0, "2"), (1, "3")));
        Assert.True(plan.Active);
        Assert.True(plan.Persistent);
        Assert.Equal("Pin vCPU 0 -> 2; vCPU 1 -> 3; emulator -> 6", plan.Description);
        // Planning changes nothing.
        Assert.Equal(" em=-", Show(Config(h)));

        var log = new List<string>();
        PinApplier.Apply(conn, h, plan, log.Add);
        Assert.Equal("0=2 1=3 em=6", Show(Live(h)));
        Assert.Equal("0=2 1=3 em=6", Show(Config(h)));
        Assert.Contains("Pinning vCPU 1 of the running VM to host CPUs 3.", log);
    }

    [Fact]
    public void Auto_plans_from_the_host_topology_and_replaces_the_old_vcpu_pins()
    {
        using var conn = Open();
        using DomainHandle h = conn.LookupDomain(Vm);
        PinApplier.Apply(conn, h, PinApplier.Plan(conn, h, Vm, MapRequest((0, "7"))));
        var log = new List<string>();
        PinApplication plan = PinApplier.Plan(conn, h, Vm, new PinChangeRequest { Auto = true, Strategy = KvmPinStrategy.Compact }, log.Add);
        Assert.Contains(log, l => l.Contains("reports no NUMA topology"));
        PinApplier.Apply(conn, h, plan);
        // Compact fills both threads of the first core (0 and its sibling 4).
        Assert.Equal(new[] { 0, 4 }, Config(h).VCpus.Values.Select(v => v.Single()));
        Assert.Equal(Show(Config(h)), Show(Live(h)));
    }

    /// <summary>Live calls that go to libvirt, except the emulator pin, which fails.</summary>
    private sealed class FailingEmulatorPins : ILivePins
    {
        public List<string> Calls { get; } = new();

        public void PinVCpu(DomainHandle h, int vcpu, int[] cpus, int mapLength)
        {
            Calls.Add($"vcpu {vcpu} {CpuSet.Format(cpus)}");
            TuningService.PinVCpuLive(h, vcpu, cpus, mapLength);
        }

        public void PinEmulator(DomainHandle h, int[] cpus, int mapLength) =>
            throw new LibvirtException("virDomainPinEmulator", LibvirtErrorCode.OperationFailed, 0, "emulator pin refused");

        public void PinIOThread(DomainHandle h, int iothread, int[] cpus, int mapLength) => TuningService.PinIOThreadLive(h, iothread, cpus, mapLength);
    }

    [Fact]
    public void A_failed_live_step_puts_back_the_live_pins_already_changed_and_leaves_the_configuration()
    {
        using var conn = Open();
        using DomainHandle h = conn.LookupDomain(Vm);
        PinApplier.Apply(conn, h, PinApplier.Plan(conn, h, Vm, new PinChangeRequest { Map = new[] { new KeyValuePair<string, string?>("0", "5") }.ToList() }));
        string liveBefore = Where(h), configBefore = DomainService.GetInactiveXml(h);

        var pins = new FailingEmulatorPins();
        PinApplication plan = PinApplier.Plan(conn, h, Vm, MapRequest((0, "2"), (1, "3")));
        var e = Assert.Throws<LibvirtException>(() => PinApplier.Apply(conn, h, plan, pins));
        Assert.Equal("emulator pin refused", e.LibvirtMessage);
        // Both vCPUs were pinned, then restored in reverse order: vCPU 1 to every host CPU, vCPU 0 to 5.
        Assert.Equal(new[] { "vcpu 0 2", "vcpu 1 3", "vcpu 1 0-7", "vcpu 0 5" }, pins.Calls);
        Assert.Equal("0=5 1=0-7 em=0-7", Where(h));
        Assert.Equal(liveBefore, Where(h));
        Assert.Equal(configBefore, DomainService.GetInactiveXml(h));
    }

    [Fact]
    public void A_failed_configuration_write_puts_back_the_live_pins()
    {
        using var conn = Open();
        using DomainHandle h = conn.LookupDomain(Vm);
        string liveBefore = Where(h);
        PinApplication plan = PinApplier.Plan(conn, h, Vm, MapRequest((0, "2"), (1, "3")));
        // The VM loses its persistent definition after the plan: the configuration step, which
        // comes after the live pins, fails.
        DomainService.Undefine(h, removeNvram: false);
        var warnings = new List<string>();
        var log = new List<string>();
        Assert.Throws<InvalidOperationException>(() => PinApplier.Apply(conn, h, plan, log.Add, warnings.Add));
        // The live pins had been made, and are undone.
        Assert.Contains("Pinning the running VM's emulator threads to host CPUs 6.", log);
        Assert.Equal("0=0-7 1=0-7 em=0-7", Where(h));
        Assert.Equal(liveBefore, Where(h));
        Assert.Empty(warnings);
    }

    public static TheoryData<string, PinChangeRequest, string> Refusals => new()
    {
        { "nothing", new PinChangeRequest(), "NothingToPin" },
        { "vCPU without host CPUs", new PinChangeRequest { VCpu = 0 }, "VCpuNeedsHostCpu" },
        { "map and auto", new PinChangeRequest { Auto = true, Map = new List<KeyValuePair<string, string?>> { new("0", "1") } }, "ConflictingPinParameters" },
        { "strategy alone", new PinChangeRequest { Strategy = KvmPinStrategy.Spread, EmulatorCpu = "1" }, "AutoOptionWithoutAuto" },
        { "overlap switch off, without auto", new PinChangeRequest { AllowOverlap = false, EmulatorCpu = "1" }, "AutoOptionWithoutAuto" },
        { "vCPU out of range", new PinChangeRequest { VCpu = 2, HostCpu = "1" }, "VCpuOutOfRange" },
        { "host CPU out of range", new PinChangeRequest { VCpu = 0, HostCpu = "8" }, "HostCpuNotFound" },
        { "map key", new PinChangeRequest { Map = new List<KeyValuePair<string, string?>> { new("x", "1") } }, "InvalidPinMap" },
        { "map value", new PinChangeRequest { Map = new List<KeyValuePair<string, string?>> { new("1", " ") } }, "InvalidCpuSet" },
        { "empty map", new PinChangeRequest { Map = new List<KeyValuePair<string, string?>>() }, "EmptyPinMap" },
        { "IOThreads on a VM without", new PinChangeRequest { IOThreadCpu = "1" }, "NoIOThreads" },
        { "IOThread without cpus", new PinChangeRequest { IOThread = 1, EmulatorCpu = "1" }, "IOThreadNeedsIOThreadCpu" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Refused_requests_change_nothing(string why, PinChangeRequest request, string id)
    {
        using var conn = Open();
        using DomainHandle h = conn.LookupDomain(Vm);
        string before = DomainService.GetInactiveXml(h);
        var e = Assert.Throws<TuningException>(() => PinApplier.Plan(conn, h, Vm, request));
        Assert.True(id == e.ErrorId, $"{why}: {e.ErrorId} ({e.Message})");
        Assert.Equal(before, DomainService.GetInactiveXml(h));
    }
}

using System.Text;
using KvmPS.Engine.HostChecks;
using Xunit;
using Xunit.Abstractions;

namespace KvmPS.Engine.Tests;

/// <summary>
/// The KvmGuestRuns check: its boot sector, its verdicts on fixture outcomes over the fixture
/// hosts, and the real test guest under TCG and under KVM on this machine.
/// </summary>
public sealed class KvmGuestRunsCheckTests : IDisposable
{
    private readonly ITestOutputHelper _out;
    private readonly List<string> _copies = new();

    public KvmGuestRunsCheckTests(ITestOutputHelper output) => _out = output;

    public void Dispose()
    {
        foreach (string dir in _copies)
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Gives one outcome and remembers what it was asked.</summary>
    private sealed class FixtureRunner : IGuestProbeRunner
    {
        private readonly GuestProbeResult _result;
        public FixtureRunner(GuestProbeResult result) => _result = result;
        public List<GuestProbeRequest> Requests { get; } = new();

        public GuestProbeResult Run(GuestProbeRequest request, CancellationToken cancel)
        {
            Requests.Add(request);
            return _result;
        }
    }

    private static readonly GuestProbeResult Success =
        new("RPL" + GuestProbeImage.Marker + "\r\n", GuestProbeImage.ExpectedExitCode, false, "", TimeSpan.FromMilliseconds(123.4));

    /// <summary>What a non-PVM guest does under kvm_pvm: it gets to long mode, then crawls through the loop until the timeout.</summary>
    private static readonly GuestProbeResult Crawling =
        new("RPL", null, true, "qemu-system-x86_64: warning: host doesn't support requested feature: CPUID.01H:ECX.pni [bit 0]", TimeSpan.FromSeconds(10));

    private static readonly GuestProbeResult MsrError =
        new("", 1, false, "qemu-system-x86_64: error: failed to set MSR 0x10a to 0x2000000\nqemu-system-x86_64: ../target/i386/kvm/kvm.c:3027: kvm_buf_set_msrs: Assertion failed.", TimeSpan.FromMilliseconds(80));

    private static HostCheckFinding Check(string root, IGuestProbeRunner? runner, string uri = HostCheckTests.DeadUri) =>
        HostChecker.RunOne(new HostCheckContext(new HostFileSystem(root), uri, null) { GuestProbe = runner }, HostCheckNames.KvmGuestRuns);

    /// <summary>A copy of a fixture host to change.</summary>
    private string Copy(string fixture)
    {
        string root = HostCheckTests.CopyFixture(fixture);
        _copies.Add(root);
        return root;
    }

    /// <summary>no-virt with a /dev/kvm that carol can open: KVM without vmx or svm; with kvm_pvm loaded when asked.</summary>
    private string NoVirtWithDevKvm(bool pvm = false, bool underHypervisor = false)
    {
        string root = Copy("no-virt");
        File.AppendAllText(Path.Combine(root, "devices.manifest"), "/dev/kvm c 10:232 0666 0:0\n");
        if (pvm)
        {
            File.AppendAllText(Path.Combine(root, "proc/modules"), "kvm_pvm 151552 0 - Live 0x0000000000000000\nkvm 1142784 1 kvm_pvm, Live 0x0000000000000000\n");
        }
        if (underHypervisor)
        {
            string cpuinfo = Path.Combine(root, "proc/cpuinfo");
            File.WriteAllText(cpuinfo, string.Join('\n', File.ReadAllLines(cpuinfo).Select(l => l.StartsWith("flags", StringComparison.Ordinal) ? l + " hypervisor" : l)) + "\n");
        }
        return root;
    }

    [Fact]
    public void Boot_sector_has_the_signature_the_marker_and_the_exit_value()
    {
        byte[] image = GuestProbeImage.Build();
        Assert.Equal(512, image.Length);
        Assert.Equal(new byte[] { 0x55, 0xaa }, image[510..]);
        Assert.Contains(GuestProbeImage.Marker + "\r\n\0", Encoding.Latin1.GetString(image));
        // mov al, ExitValue; out 0xf4, al
        Assert.Contains(Convert.ToHexString(new byte[] { 0xb0, GuestProbeImage.ExitValue, 0xe6, 0xf4 }), Convert.ToHexString(image));
        // mov ecx, Loops
        Assert.Contains("B9" + Convert.ToHexString(BitConverter.GetBytes(GuestProbeImage.Loops)), Convert.ToHexString(image));
        Assert.Equal(0x55, GuestProbeImage.ExpectedExitCode);
    }

    [Fact]
    public void Marker_and_exit_code_pass_with_the_time_it_took()
    {
        var runner = new FixtureRunner(Success);
        HostCheckFinding f = Check(HostCheckTests.Fixture("intel-kvm"), runner);
        Assert.True(f.Status == KvmCheckStatus.Pass, f.Message);
        Assert.Contains("ran under KVM (/usr/bin/qemu-system-x86_64 -accel kvm -cpu qemu64)", f.Message);
        Assert.Contains("50 million loop iterations, then exit in 123 ms", f.Message);
        Assert.Empty(f.Remedy);
        GuestProbeRequest req = Assert.Single(runner.Requests);
        Assert.Equal(new GuestProbeRequest("/usr/bin/qemu-system-x86_64", "kvm", TimeSpan.FromSeconds(10)), req);
    }

    [Fact]
    public void Timeout_on_a_pvm_host_fails_and_says_pvm_runs_pvm_guests_only()
    {
        string root = NoVirtWithDevKvm(pvm: true, underHypervisor: true);
        var ctx = new HostCheckContext(new HostFileSystem(root), HostCheckTests.DeadUri, null) { GuestProbe = new FixtureRunner(Crawling) };
        KvmHostReport r = HostChecker.Run(ctx, new[] { HostCheckNames.KvmGuestRuns, HostCheckNames.CpuVirtualization });
        Assert.False(r.IsReady);
        KvmHostCheck c = Assert.Single(r.Checks, x => x.Name == HostCheckNames.KvmGuestRuns);
        Assert.Equal(KvmCheckStatus.Fail, c.Status);
        Assert.Contains("did not finish within 10 s (QEMU was stopped): its code ran in real mode, 32-bit protected mode, 64-bit long mode", c.Message);
        Assert.Contains("KVM executes the guest instruction by instruction in software", c.Message);
        Assert.DoesNotContain("warning", c.Message);
        Assert.Contains("kvm_pvm (PVM): it runs only guests whose kernel is built for PVM", c.Remedy);
        Assert.Contains("New-KvmVM -VirtType Qemu", c.Remedy);
        Assert.DoesNotContain("firmware", c.Remedy);
        Assert.False(c.CanRepair);
        // The CPU check warns on the same host, and now says what to do.
        KvmHostCheck cpu = Assert.Single(r.Checks, x => x.Name == HostCheckNames.CpuVirtualization);
        Assert.Equal(KvmCheckStatus.Warn, cpu.Status);
        Assert.Contains("New-KvmVM -VirtType Qemu", cpu.Remedy);
    }

    [Fact]
    public void Timeout_without_vmx_svm_or_pvm_points_to_the_firmware()
    {
        HostCheckFinding f = Check(NoVirtWithDevKvm(), new FixtureRunner(Crawling));
        Assert.Equal(KvmCheckStatus.Fail, f.Status);
        Assert.Contains("# No vmx or svm in /proc/cpuinfo: KVM needs Intel VT-x or AMD-V.", f.Remedy);
        Assert.Contains(f.Remedy, l => l.Contains("Intel VT-x (Virtualization Technology) in the firmware setup"));
        Assert.DoesNotContain(f.Remedy, l => l.Contains("kvm_pvm"));
    }

    [Fact]
    public void Timeout_in_a_virtual_machine_without_vmx_points_to_nested_virtualization_on_its_host()
    {
        HostCheckFinding f = Check(NoVirtWithDevKvm(underHypervisor: true), new FixtureRunner(Crawling));
        Assert.Equal(KvmCheckStatus.Fail, f.Status);
        Assert.Contains("modprobe -r kvm_intel && modprobe kvm_intel nested=1", f.Remedy);
        Assert.Contains(f.Remedy, l => l.Contains("host-passthrough"));
    }

    [Fact]
    public void Qemus_msr_error_fails_with_its_message_and_the_kernels_side()
    {
        HostCheckFinding f = Check(HostCheckTests.Fixture("intel-kvm"), new FixtureRunner(MsrError));
        Assert.Equal(KvmCheckStatus.Fail, f.Status);
        Assert.Contains("ended after 80 ms with QEMU's exit code 1, not 85: the boot sector wrote nothing to the serial port (the BIOS did not reach it, or it did not run); QEMU: qemu-system-x86_64: error: failed to set MSR 0x10a to 0x2000000.", f.Message);
        Assert.Contains("dmesg | grep -i -e kvm -e vmx -e svm", f.Remedy);
        Assert.Contains("echo 1 | sudo tee /sys/module/kvm/parameters/ignore_msrs", f.Remedy);
    }

    [Fact]
    public void A_guest_that_resets_in_protected_mode_fails()
    {
        // -no-reboot turns a triple fault into QEMU exiting with 0.
        HostCheckFinding f = Check(HostCheckTests.Fixture("intel-kvm"), new FixtureRunner(new("RP", 0, false, "", TimeSpan.FromMilliseconds(300))));
        Assert.Equal(KvmCheckStatus.Fail, f.Status);
        Assert.Contains("exit code 0, not 85: its code ran in real mode, 32-bit protected mode.", f.Message);
    }

    [Fact]
    public void Marker_with_the_wrong_exit_code_is_not_a_pass()
    {
        var result = Success with { ExitCode = 0 };
        Assert.False(result.Succeeded);
        Assert.Equal(KvmCheckStatus.Fail, Check(HostCheckTests.Fixture("intel-kvm"), new FixtureRunner(result)).Status);
    }

    [Fact]
    public void Skips_say_why_and_start_nothing()
    {
        var runner = new FixtureRunner(Success);
        HostCheckFinding noKvm = Check(HostCheckTests.Fixture("no-virt"), runner);
        Assert.Equal(KvmCheckStatus.Skip, noKvm.Status);
        Assert.Contains("/dev/kvm is missing for carol (see KvmDevice)", noKvm.Message);

        HostCheckFinding noAccess = Check(HostCheckTests.Fixture("kvm-no-group"), runner);
        Assert.Equal(KvmCheckStatus.Skip, noAccess.Status);
        Assert.Contains("/dev/kvm is not usable for bob", noAccess.Message);

        string noQemu = Copy("intel-kvm");
        File.Delete(Path.Combine(noQemu, "usr/bin/qemu-system-x86_64"));
        HostCheckFinding qemu = Check(noQemu, runner);
        Assert.Equal(KvmCheckStatus.Skip, qemu.Status);
        Assert.Contains("No QEMU for x86_64 is installed (see QemuEmulator)", qemu.Message);

        HostCheckFinding remote = Check(HostCheckTests.Fixture("intel-kvm"), runner, "qemu+ssh://root@kvm2.example/system");
        Assert.Equal(KvmCheckStatus.Skip, remote.Status);
        Assert.Contains("remote URI qemu+ssh://root@kvm2.example/system", remote.Message);

        Assert.Empty(runner.Requests);

        // A fixture tree without a runner: the guest would run here, not on the host the tree stands for.
        HostCheckFinding tree = Check(HostCheckTests.Fixture("intel-kvm"), null);
        Assert.Equal(KvmCheckStatus.Skip, tree.Status);
        Assert.Contains("not this system", tree.Message);
    }

    private static string Qemu() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "qemu-system-x86_64")).First(File.Exists);

    /// <summary>The runner the check uses on the live system, through its interface.</summary>
    private static IGuestProbeRunner Real => QemuGuestProbeRunner.Instance;

    private static int ProbeDirectories() => Directory.GetDirectories(Path.GetTempPath(), "kvmps-probe-*").Length;

    [FactNeedsPrograms("qemu-system-x86_64")]
    public void Real_guest_runs_under_tcg_and_exits_through_isa_debug_exit()
    {
        int before = ProbeDirectories();
        GuestProbeResult r = Real.Run(new GuestProbeRequest(Qemu(), "tcg", TimeSpan.FromSeconds(60)), default);
        _out.WriteLine($"TCG: {r.Elapsed.TotalMilliseconds:0} ms, exit {r.ExitCode}, serial '{r.Serial.Trim()}', stderr '{r.Error}'");
        Assert.False(r.TimedOut, r.Error);
        Assert.Equal("RPL" + GuestProbeImage.Marker + "\r\n", r.Serial);
        Assert.Equal(GuestProbeImage.ExpectedExitCode, r.ExitCode);
        Assert.True(r.Succeeded);
        // Other tests run probes at the same time: their directories come and go too, so wait
        // for the count to settle back instead of reading it once.
        var settle = System.Diagnostics.Stopwatch.StartNew();
        while (ProbeDirectories() > before && settle.Elapsed < TimeSpan.FromSeconds(20))
        {
            Thread.Sleep(100);
        }
        Assert.True(ProbeDirectories() <= before, "the probe left its directory behind");
    }

    [FactNeedsPrograms("qemu-system-x86_64")]
    public void Timeout_kills_qemu_and_keeps_what_the_guest_wrote()
    {
        // 1 ms is not enough for QEMU to start, let alone the guest.
        GuestProbeResult r = Real.Run(new GuestProbeRequest(Qemu(), "tcg", TimeSpan.FromMilliseconds(1)), default);
        Assert.True(r.TimedOut);
        Assert.Null(r.ExitCode);
        Assert.False(r.Succeeded);
        Assert.True(r.Elapsed < TimeSpan.FromSeconds(5), r.Elapsed.ToString());
    }

    [Fact]
    public void A_missing_qemu_is_an_outcome_not_an_exception()
    {
        GuestProbeResult r = Real.Run(new GuestProbeRequest("/nonexistent/qemu-system-x86_64", "tcg", TimeSpan.FromSeconds(5)), default);
        Assert.False(r.Succeeded);
        Assert.Null(r.ExitCode);
        Assert.Contains("could not start", r.Error);
    }

    [FactNeedsKvm]
    public void Real_guest_under_kvm_here_passes_exactly_when_the_cpu_has_vmx_or_svm()
    {
        var ctx = new HostCheckContext(new HostFileSystem("/"), "", null);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        HostCheckFinding f = HostChecker.RunOne(ctx, HostCheckNames.KvmGuestRuns);
        _out.WriteLine($"KVM: {f.Status} after {clock.Elapsed.TotalMilliseconds:0} ms: {f.Message}");
        bool hardware = File.ReadLines("/proc/cpuinfo").Any(l => l.StartsWith("flags", StringComparison.Ordinal)
            && l.Split(' ').Any(w => w is "vmx" or "svm"));
        if (!new HostFileSystem("/").CanReadWrite("/dev/kvm"))
        {
            Assert.Equal(KvmCheckStatus.Skip, f.Status);
            return;
        }
        Assert.True(f.Status == (hardware ? KvmCheckStatus.Pass : KvmCheckStatus.Fail), f.Message);
        if (!hardware)
        {
            Assert.NotEmpty(f.Remedy);
        }
    }
}

using System.Globalization;
using static KvmPS.Engine.HostChecks.HostCheckText;
using static KvmPS.Engine.HostChecks.HostPrograms;

namespace KvmPS.Engine.HostChecks.Checks;

/// <summary>
/// Whether KVM runs guest code at all: starts the 512-byte test guest (<see cref="GuestProbeImage"/>)
/// with QEMU under -accel kvm and waits for its marker. The other checks look at flags, modules
/// and devices; this one is the proof, and the only one that catches a /dev/kvm (kvm_pvm, a
/// hypervisor hiding VT-x) on which ordinary guests never run.
/// </summary>
internal sealed class KvmGuestRunsCheck : IHostCheck
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public string Name => HostCheckNames.KvmGuestRuns;

    public HostCheckFinding Run(HostCheckContext ctx)
    {
        if (ctx.IsRemote)
        {
            return HostCheckFinding.Skip($"Starts a test guest on this machine: not possible for the remote URI {ctx.Uri}.");
        }
        string arch = ctx.Architecture;
        if (arch is not "x86_64")
        {
            return HostCheckFinding.Skip($"The test guest is x86 code; this host is {arch}.");
        }
        HostNode kvm = ctx.Fs.Stat("/dev/kvm");
        if (kvm.Kind != HostNodeKind.CharDevice || !ctx.Fs.CanReadWrite("/dev/kvm"))
        {
            return HostCheckFinding.Skip($"/dev/kvm is {(kvm.Exists ? "not usable" : "missing")} for {ctx.Identity.UserName} (see KvmDevice): no test guest was started.");
        }
        if (FindQemu(ctx, arch) is not { } qemu)
        {
            return HostCheckFinding.Skip($"No QEMU for {arch} is installed (see QemuEmulator): no test guest was started.");
        }
        if (ctx.GuestProbe is not { } runner)
        {
            return HostCheckFinding.Skip($"The host is read from {ctx.Fs.Root}, not this system: no test guest was started.");
        }
        var (r, age) = Probe(ctx, runner, qemu);
        string how = $"{qemu} -accel kvm -cpu {QemuGuestProbeRunner.CpuModel}";
        string reused = age is { } a
            ? $" (the result of the test guest started {a.TotalSeconds:0} s ago by this process; the kernel's modules and CPU flags have not changed since)"
            : "";
        if (r.Succeeded)
        {
            return HostCheckFinding.Pass($"A 512-byte test guest ran under KVM ({how}): real, protected and long mode, "
                + $"{GuestProbeImage.Loops / 1_000_000} million loop iterations, then exit in {Millis(r.Elapsed)} ms{reused}.");
        }
        return HostCheckFinding.Fail($"A 512-byte test guest under KVM ({how}) {WhatHappened(r)}{reused}", Remedy(ctx, r));
    }

    // The verdict depends on QEMU, the kernel's modules (kvm_intel/kvm_amd/kvm_pvm and their
    // parameters show up there) and the CPU flags: while those stay the same, a process reuses its
    // last result instead of waiting for another guest (up to the timeout where KVM cannot run one).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (GuestProbeResult Result, DateTime At)> s_verdicts = new();

    // The first "flags" line: the rest of /proc/cpuinfo (clock speeds) changes all the time.
    private static string CpuFlags(string? cpuinfo) =>
        cpuinfo?.Split('\n').FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal)) ?? "";

    private static (GuestProbeResult Result, TimeSpan? Age) Probe(HostCheckContext ctx, IGuestProbeRunner runner, string qemu)
    {
        var request = new GuestProbeRequest(qemu, "kvm", Timeout);
        if (!ReferenceEquals(runner, QemuGuestProbeRunner.Instance))
        {
            return (runner.Run(request, ctx.Cancel), null);
        }
        string key = string.Join("\n", qemu, ctx.Fs.ReadText("/proc/modules") ?? "", CpuFlags(ctx.Fs.ReadText("/proc/cpuinfo")),
            ctx.Fs.ReadText("/sys/module/kvm_intel/parameters/nested") ?? "", ctx.Fs.ReadText("/sys/module/kvm_amd/parameters/nested") ?? "");
        if (s_verdicts.TryGetValue(key, out var seen))
        {
            return (seen.Result, DateTime.UtcNow - seen.At);
        }
        GuestProbeResult r = runner.Run(request, ctx.Cancel);
        if (!ctx.Cancel.IsCancellationRequested)
        {
            s_verdicts[key] = (r, DateTime.UtcNow);
        }
        return (r, null);
    }

    private static string Millis(TimeSpan t) => t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);

    /// <summary>The outcome in words: how it ended, how far the guest got, QEMU's error.</summary>
    internal static string WhatHappened(GuestProbeResult r)
    {
        IReadOnlyList<string> stages = GuestProbeImage.StagesReached(r.Serial);
        string reached = stages.Count == 0
            ? "the boot sector wrote nothing to the serial port (the BIOS did not reach it, or it did not run)"
            : $"its code ran in {string.Join(", ", stages)}";
        string ending = r.TimedOut
            ? $"did not finish within {Timeout.TotalSeconds:0} s (QEMU was stopped)"
            : r.ExitCode is { } code
                ? $"ended after {Millis(r.Elapsed)} ms with QEMU's exit code {code}, not {GuestProbeImage.ExpectedExitCode}"
                : "could not be started";
        string slow = r.TimedOut && stages.Count == GuestProbeImage.Stages.Count
            ? $", but {GuestProbeImage.Loops / 1_000_000} million loop iterations did not end: KVM executes the guest instruction by instruction in software, not on the CPU"
            : "";
        string error = ErrorLine(r.Error) is { } e ? $"; QEMU: {e}" : "";
        return $"{ending}: {reached}{slow}{error}.";
    }

    /// <summary>QEMU's first line that is not a warning (warnings about CPU features are expected).</summary>
    private static string? ErrorLine(string error) =>
        error.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(l => !l.Contains("warning:", StringComparison.Ordinal))?.TrimEnd('.');

    private static string[] Remedy(HostCheckContext ctx, GuestProbeResult r)
    {
        CpuInfo cpu = ctx.Cpu;
        int vmx = cpu.Count("vmx"), svm = cpu.Count("svm");
        if (vmx + svm == 0 && ctx.IsPresent("kvm_pvm"))
        {
            return PvmRemedy();
        }
        if (vmx + svm == 0)
        {
            return new[] { "# No vmx or svm in /proc/cpuinfo: KVM needs Intel VT-x or AMD-V." }.Concat(HardwareVirtualizationRemedy(ctx)).ToArray();
        }
        var lines = new List<string>
        {
            $"# The CPU has {(vmx > 0 ? "vmx" : "svm")}, yet KVM did not run the guest: the kernel says why:",
            "dmesg | grep -i -e kvm -e vmx -e svm",
            "# Another hypervisor holding VT-x/AMD-V (VirtualBox, VMware) keeps KVM from using it: stop it, then check again.",
        };
        if (r.Error.Contains("failed to set MSR", StringComparison.Ordinal))
        {
            lines.Add("# KVM refused a model-specific register QEMU sets; as a workaround KVM can ignore unknown MSRs:");
            lines.Add(WriteFileCommand(ctx, "/sys/module/kvm/parameters/ignore_msrs", "1"));
        }
        return lines.ToArray();
    }
}

using static KvmPS.Engine.HostChecks.HostCheckText;

namespace KvmPS.Engine.HostChecks.Checks;

/// <summary>Whether the CPU offers hardware virtualization (vmx, svm), or KVM comes from PVM.</summary>
internal sealed class CpuVirtualizationCheck : IHostCheck
{
    public string Name => HostCheckNames.CpuVirtualization;

    public HostCheckFinding Run(HostCheckContext ctx)
    {
        CpuInfo cpu = ctx.Cpu;
        if (cpu.Processors == 0)
        {
            return HostCheckFinding.Skip("/proc/cpuinfo could not be read.");
        }
        if (!cpu.IsX86)
        {
            return HostCheckFinding.Skip($"{ctx.Architecture}: /proc/cpuinfo has no x86 flags; KvmDevice tells whether KVM is available.");
        }
        string cpuText = $"{cpu.Vendor} {cpu.Model}".Trim();
        int vmx = cpu.Count("vmx"), svm = cpu.Count("svm");
        if (vmx > 0)
        {
            return HostCheckFinding.Pass($"vmx (Intel VT-x) on {vmx} of {cpu.Processors} CPUs ({cpuText}).");
        }
        if (svm > 0)
        {
            return HostCheckFinding.Pass($"svm (AMD-V) on {svm} of {cpu.Processors} CPUs ({cpuText}).");
        }
        string seen = $"No vmx or svm flag on any of the {cpu.Processors} CPUs in /proc/cpuinfo ({cpuText}"
            + (cpu.UnderHypervisor ? ", a virtual machine: the hypervisor flag is set" : "") + ")";
        // PVM runs KVM guests on page tables instead of VT-x/AMD-V: /dev/kvm works without the flags.
        if (ctx.IsPresent("kvm_pvm") && ctx.Fs.Stat("/dev/kvm").Kind == HostNodeKind.CharDevice)
        {
            return HostCheckFinding.Warn(seen + "; KVM is provided by kvm_pvm instead (PVM, KVM without hardware virtualization extensions), so /dev/kvm works.",
                PvmRemedy());
        }
        return HostCheckFinding.Fail(seen + ": guests can only run under QEMU's software emulation (TCG).", HardwareVirtualizationRemedy(ctx));
    }
}

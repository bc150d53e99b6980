using static KvmPS.Engine.HostChecks.HostCheckText;

namespace KvmPS.Engine.HostChecks.Checks;

/// <summary>kata-check's CPU rule on x86: vmx (Intel) or svm (AMD), lm and sse4_1 on every CPU.</summary>
internal sealed class KataCpuCheck : IHostCheck
{
    public string Name => HostCheckNames.KataCpu;

    public HostCheckFinding Run(HostCheckContext ctx)
    {
        CpuInfo cpu = ctx.Cpu;
        if (cpu.Processors == 0)
        {
            return HostCheckFinding.Skip("/proc/cpuinfo could not be read.");
        }
        if (!cpu.IsX86)
        {
            return HostCheckFinding.Skip($"{ctx.Architecture}: kata-check's x86 CPU flags do not apply.");
        }
        string virt = cpu.IsAmd ? "svm" : "vmx";
        string[] wanted = { virt, "lm", "sse4_1" };
        var missing = wanted.Where(f => cpu.Count(f) < cpu.Processors).ToList();
        string cpuText = $"{cpu.Vendor} {cpu.Model}".Trim();
        if (missing.Count == 0)
        {
            return HostCheckFinding.Pass($"{string.Join(", ", wanted)} on all {cpu.Processors} CPUs ({cpuText}).");
        }
        string seen = string.Join("; ", missing.Select(f => $"{f} on {cpu.Count(f)} of {cpu.Processors} CPUs"));
        var remedy = new List<string>();
        if (missing.Contains(virt))
        {
            remedy.AddRange(ctx.IsPresent("kvm_pvm") ? PvmRemedy() : HardwareVirtualizationRemedy(ctx));
        }
        if (missing.Contains("lm") || missing.Contains("sse4_1"))
        {
            remedy.Add("# lm (64-bit) and sse4_1 are properties of the CPU model: use a newer CPU, or in a VM give it a CPU model that has them (e.g. host-passthrough).");
        }
        return HostCheckFinding.Fail($"Kata Containers needs {string.Join(", ", wanted)} ({cpuText}): {seen}.", remedy.ToArray());
    }
}

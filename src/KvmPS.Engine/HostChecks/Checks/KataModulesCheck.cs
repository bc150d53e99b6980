using static KvmPS.Engine.HostChecks.HostCheckText;

namespace KvmPS.Engine.HostChecks.Checks;

/// <summary>
/// kata-check's kernel modules: kvm, kvm_intel with unrestricted_guest=Y (or kvm_amd), vhost,
/// vhost_net and vhost_vsock, each loaded or built in.
/// </summary>
internal sealed class KataModulesCheck : IHostCheck
{
    public string Name => HostCheckNames.KataModules;

    public HostCheckFinding Run(HostCheckContext ctx)
    {
        string vendor = ctx.Cpu.IsAmd ? "kvm_amd" : "kvm_intel";
        string[] modules = { "kvm", vendor, "vhost", "vhost_net", "vhost_vsock" };
        var states = modules.ToDictionary(m => m, ctx.Module);
        var missing = modules.Where(m => states[m] == ModuleState.Absent).ToList();
        var problems = missing.Select(m => $"{m} is not loaded").ToList();
        var remedy = new List<string>();
        if (missing.Count > 0 && !ctx.ModulesSupported)
        {
            remedy.Add($"# This kernel cannot load modules (no /proc/modules): boot a kernel built with {string.Join(", ", missing.Select(Config))}.");
        }
        foreach (string m in ctx.ModulesSupported ? missing : new List<string>())
        {
            foreach (string line in LoadModuleRemedy(ctx, m, Config(m), $"/etc/modules-load.d/{m}.conf"))
            {
                if (!remedy.Contains(line))
                {
                    remedy.Add(line);
                }
            }
        }
        string? unrestricted = null;
        if (vendor == "kvm_intel" && states[vendor] != ModuleState.Absent)
        {
            unrestricted = ctx.Fs.ReadText("/sys/module/kvm_intel/parameters/unrestricted_guest")?.Trim();
            if (unrestricted is not ("Y" or "1"))
            {
                problems.Add($"kvm_intel's unrestricted_guest is {(unrestricted is null ? "not readable" : $"'{unrestricted}'")} (Kata needs Y)");
                remedy.Add($"{ctx.Sudo}modprobe -r kvm_intel && {ctx.Sudo}modprobe kvm_intel unrestricted_guest=1");
                remedy.Add(WriteFileCommand(ctx, "/etc/modprobe.d/kvm_intel.conf", "options kvm_intel unrestricted_guest=1"));
                remedy.Add("# unrestricted_guest also needs a CPU with EPT (and, in a VM, an outer hypervisor that exposes it).");
            }
        }
        string seen = string.Join(", ", modules.Select(m => $"{m} {State(states[m])}")) + (unrestricted is null ? "" : $", unrestricted_guest={unrestricted}");
        if (problems.Count == 0)
        {
            return HostCheckFinding.Pass(seen + ".");
        }
        return HostCheckFinding.Fail($"{seen}: {string.Join("; ", problems)}.", remedy.ToArray());
    }

    private static string Config(string module) => module switch
    {
        "kvm" => "CONFIG_KVM", "kvm_intel" => "CONFIG_KVM_INTEL", "kvm_amd" => "CONFIG_KVM_AMD", "vhost" => "CONFIG_VHOST", "vhost_net" => "CONFIG_VHOST_NET",
        _ => "CONFIG_VHOST_VSOCK",
    };
}

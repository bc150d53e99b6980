using static KvmPS.Engine.HostChecks.HostCheckText;

namespace KvmPS.Engine.HostChecks.Checks;

/// <summary>Whether kvm and the vendor module the CPU calls for are in the kernel.</summary>
internal sealed class KvmModulesCheck : IHostCheck
{
    public string Name => HostCheckNames.KvmModules;

    public HostCheckFinding Run(HostCheckContext ctx)
    {
        ModuleState kvm = ctx.Module("kvm");
        string? expected = ctx.ExpectedVendorModule;
        string? present = ctx.PresentVendorModule;
        string Describe(string m) => $"{m} {State(ctx.Module(m))}";

        if (expected is null)
        {
            if (kvm != ModuleState.Absent && present is not null)
            {
                return HostCheckFinding.Pass($"{Describe("kvm")}, {Describe(present)}.");
            }
            return HostCheckFinding.Fail(
                $"{Describe("kvm")}; no vendor module (kvm_intel, kvm_amd) is present, and neither can load without vmx or svm.",
                "# See CpuVirtualization: the CPU must offer vmx or svm first.");
        }
        if (kvm != ModuleState.Absent && ctx.IsPresent(expected))
        {
            return HostCheckFinding.Pass($"{Describe("kvm")}, {Describe(expected)}.");
        }
        return HostCheckFinding.Fail($"{Describe("kvm")}, {Describe(expected)}.", LoadModuleRemedy(ctx, expected, $"CONFIG_KVM and CONFIG_{expected.ToUpperInvariant()}"));
    }
}

using static KvmPS.Engine.HostChecks.HostCheckText;
using static KvmPS.Engine.HostChecks.HostPrograms;

namespace KvmPS.Engine.HostChecks.Checks;

/// <summary>Whether the vendor module lets guests run KVM guests of their own.</summary>
internal sealed class NestedVirtualizationCheck : IHostCheck
{
    public string Name => HostCheckNames.NestedVirtualization;

    public HostCheckFinding Run(HostCheckContext ctx)
    {
        string? module = ctx.PresentVendorModule;
        if (module is null)
        {
            return HostCheckFinding.Skip("Neither kvm_intel nor kvm_amd is in the kernel (see KvmModules).");
        }
        string? value = ctx.Fs.ReadText($"/sys/module/{module}/parameters/nested")?.Trim();
        if (value is null)
        {
            return HostCheckFinding.Skip($"{module} has no nested parameter.");
        }
        if (value is "Y" or "1")
        {
            return HostCheckFinding.Pass($"{module} nested = {value}: guests can run KVM guests of their own.");
        }
        string message = $"{module} nested = {value}: guests cannot use KVM themselves.";
        if (ctx.Module(module) == ModuleState.BuiltIn)
        {
            return HostCheckFinding.Warn(message, ctx.Distro.KernelArgumentCommands($"{module}.nested=1").Select(c => c.StartsWith('#') || c == "reboot" ? c : ctx.Sudo + c).ToArray());
        }
        return HostCheckFinding.Warn(message,
            WriteFileCommand(ctx, NestedConfFile, $"options {module} nested=1"),
            "# with no guest running:",
            $"{ctx.Sudo}modprobe -r {module}",
            $"{ctx.Sudo}modprobe {module}");
    }
}

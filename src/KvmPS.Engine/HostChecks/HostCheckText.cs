using System.Globalization;

namespace KvmPS.Engine.HostChecks;

/// <summary>Wording and remedy lines that several checks and repairs share.</summary>
internal static class HostCheckText
{
    public static string State(ModuleState s) => s switch
    {
        ModuleState.Loaded => "loaded",
        ModuleState.BuiltIn => "built in",
        _ => "not loaded",
    };

    /// <summary>The install command line for a package, with sudo when needed; null when the distribution has no package manager we know.</summary>
    public static string? InstallLine(HostCheckContext ctx, string package) =>
        ctx.Distro.InstallCommand(package) is { } install ? ctx.Sudo + install.Program + " " + string.Join(' ', install.Arguments) : null;

    /// <summary>modprobe, or the kernel to use when this one cannot load modules at all.</summary>
    public static string[] LoadModuleRemedy(HostCheckContext ctx, string module, string config, string? persistFile = null)
    {
        if (!ctx.ModulesSupported)
        {
            return new[] { $"# This kernel cannot load modules (no /proc/modules): boot a kernel built with {config}." };
        }
        var lines = new List<string>();
        if (ctx.FindProgram("modprobe") is null && InstallLine(ctx, HostDistribution.KmodPackage) is { } install)
        {
            lines.Add(install);
        }
        lines.Add($"{ctx.Sudo}modprobe {module}");
        if (persistFile is not null)
        {
            lines.Add(WriteFileCommand(ctx, persistFile, module));
        }
        return lines.ToArray();
    }

    /// <summary>A shell command that writes a value to a root-owned file.</summary>
    public static string WriteFileCommand(HostCheckContext ctx, string path, string value)
    {
        string quoted = value.All(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.') ? value : $"'{value}'";
        return ctx.Identity.IsRoot ? $"echo {quoted} > {path}" : $"echo {quoted} | sudo tee {path}";
    }

    /// <summary>A device node as ls -l would describe it.</summary>
    public static string DeviceText(HostCheckContext ctx, string path, HostNode n) =>
        $"{path}: character device {n.Major}:{n.Minor}, mode {n.OctalMode}, owner {(n.Uid == 0 ? "root" : n.Uid.ToString(CultureInfo.InvariantCulture))}:{ctx.Identity.GroupName(n.Gid)}";

    /// <summary>What to do on a PVM host (kvm_pvm, no VT-x/AMD-V): it runs PVM guest kernels only.</summary>
    public static string[] PvmRemedy() => new[]
    {
        "# KVM here is kvm_pvm (PVM): it runs only guests whose kernel is built for PVM; ordinary guests need Intel VT-x or AMD-V.",
        "# Run ordinary guests under QEMU's emulation (TCG, domain type qemu): New-KvmVM -VirtType Qemu, or <domain type='qemu'> in the definition.",
        "# For KVM speed: a host with VT-x/AMD-V, or an outer hypervisor that exposes vmx/svm to this VM (nested virtualization).",
    };

    /// <summary>How to get VT-x/AMD-V: the firmware setup, or, in a virtual machine, nested virtualization on its host.</summary>
    public static string[] HardwareVirtualizationRemedy(HostCheckContext ctx)
    {
        CpuInfo cpu = ctx.Cpu;
        string firmware = $"# Enable {(cpu.IsAmd ? "AMD-V (SVM Mode)" : "Intel VT-x (Virtualization Technology)")} in the firmware setup (BIOS/UEFI), then boot again.";
        if (!cpu.UnderHypervisor)
        {
            return new[] { firmware };
        }
        string module = cpu.IsAmd ? "kvm_amd" : "kvm_intel";
        return new[]
        {
            "# On the host that runs this virtual machine (a KVM host, say):",
            $"modprobe -r {module} && modprobe {module} nested=1",
            "# and give this VM the host's CPU: virsh edit <vm>, then <cpu mode='host-passthrough'/>",
            "# (this exposes vmx/svm to the VM; the outer host needs VT-x/AMD-V enabled in its own firmware).",
        };
    }
}

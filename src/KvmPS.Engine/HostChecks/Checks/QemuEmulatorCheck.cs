using static KvmPS.Engine.HostChecks.HostCheckText;
using static KvmPS.Engine.HostChecks.HostPrograms;

namespace KvmPS.Engine.HostChecks.Checks;

/// <summary>Whether QEMU for the host's architecture is installed and libvirt finds it.</summary>
internal sealed class QemuEmulatorCheck : IHostCheck
{
    public string Name => HostCheckNames.QemuEmulator;

    public HostCheckFinding Run(HostCheckContext ctx)
    {
        LibvirtConnection? conn = ctx.Connection;
        string arch = ctx.Architecture;
        string[] install = InstallLine(ctx, ctx.Distro.QemuPackage(arch)) is { } i
            ? new[] { i }
            : new[] { $"# Install QEMU for {arch} with the distribution's package manager." };
        if (conn is null)
        {
            if (ctx.IsRemote)
            {
                return HostCheckFinding.LibvirtUnreachable();
            }
            string? found = FindQemu(ctx, arch);
            return found is not null
                ? HostCheckFinding.Pass($"{found} is installed (its version is read from libvirt, which is not reachable).")
                : HostCheckFinding.Fail($"No QEMU emulator for {arch} is installed (looked for qemu-system-{arch}, qemu-kvm).", install);
        }
        if (!IsQemu(conn, out string type))
        {
            return HostCheckFinding.Skip($"The {type} driver at {conn.Uri} does not run QEMU.");
        }
        try
        {
            var caps = ParseDomainCapabilities(conn.GetDomainCapabilitiesXml(null));
            Version? v = conn.GetHypervisorVersion();
            return HostCheckFinding.Pass($"{caps.Path}, QEMU {v?.ToString() ?? "(version unknown)"}; default machine {caps.Machine} for {caps.Arch}.");
        }
        catch (LibvirtException e)
        {
            return HostCheckFinding.Fail($"libvirt finds no usable QEMU emulator: {e.LibvirtMessage}", ctx.IsRemote ? Array.Empty<string>() : install);
        }
    }
}

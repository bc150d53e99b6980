using System.Xml.Linq;

namespace KvmPS.Engine.HostChecks;

/// <summary>libvirt's daemon and QEMU on the host: where they are installed, how to start the daemon.</summary>
internal static class HostPrograms
{
    /// <summary>Where nested virtualization is switched on for a loadable vendor module.</summary>
    public const string NestedConfFile = "/etc/modprobe.d/kvm-nested.conf";

    /// <summary>The installed daemon for QEMU: the monolithic libvirtd, else the modular virtqemud.</summary>
    public static string? DaemonProgram(HostCheckContext ctx) => ctx.FindProgram("libvirtd") ?? ctx.FindProgram("virtqemud");

    /// <summary>True when the daemon is the modular virtqemud.</summary>
    public static bool IsModularDaemon(HostCheckContext ctx) =>
        DaemonProgram(ctx) is { } p && p.EndsWith("virtqemud", StringComparison.Ordinal);

    /// <summary>How to start libvirt's daemon here: systemd units, or the daemons by hand.</summary>
    public static string[] StartDaemonCommands(HostCheckContext ctx)
    {
        bool modular = IsModularDaemon(ctx);
        if (ctx.Distro.HasSystemd)
        {
            return new[] { modular ? "systemctl enable --now virtqemud.socket" : "systemctl enable --now libvirtd" };
        }
        return new[] { "virtlogd -d", modular ? "virtqemud -d" : "libvirtd -d" };
    }

    public static string? FindQemu(HostCheckContext ctx, string arch) =>
        ctx.FindProgram("qemu-system-" + arch) ?? ctx.FindProgram("qemu-kvm", "/usr/libexec");

    public static bool IsQemu(LibvirtConnection conn, out string type)
    {
        type = conn.GetHypervisorType();
        return type.Equals("QEMU", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>path, machine, arch and domain type from domain capabilities XML.</summary>
    public static (string Path, string Machine, string Arch, string Domain) ParseDomainCapabilities(string xml)
    {
        XElement root = SafeXml.Parse(xml);
        return ((string?)root.Element("path") ?? "", (string?)root.Element("machine") ?? "",
            (string?)root.Element("arch") ?? "", (string?)root.Element("domain") ?? "");
    }
}

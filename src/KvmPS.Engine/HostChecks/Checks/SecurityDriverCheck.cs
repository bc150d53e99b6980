using System.Xml.Linq;
using static KvmPS.Engine.HostChecks.HostPrograms;

namespace KvmPS.Engine.HostChecks.Checks;

/// <summary>Whether libvirt confines guests with the host's AppArmor or SELinux.</summary>
internal sealed class SecurityDriverCheck : IHostCheck
{
    public string Name => HostCheckNames.SecurityDriver;

    public HostCheckFinding Run(HostCheckContext ctx)
    {
        string[] models = Array.Empty<string>();
        LibvirtConnection? conn = ctx.Connection;
        if (conn is not null)
        {
            XElement root = SafeXml.Parse(ctx.CapabilitiesXml(conn));
            models = root.Element("host")?.Elements("secmodel").Select(s => (string?)s.Element("model") ?? "").Where(m => m.Length > 0).ToArray()
                ?? Array.Empty<string>();
        }
        string driversText = conn is null ? "" : $"libvirt's security drivers: {(models.Length == 0 ? "none reported" : string.Join(", ", models))}";
        if (ctx.IsRemote)
        {
            if (conn is null)
            {
                return HostCheckFinding.LibvirtUnreachable();
            }
            return HostCheckFinding.Pass($"{driversText} (the host's own AppArmor/SELinux state is not visible over a remote URI).");
        }

        bool apparmor = ctx.Fs.ReadText("/sys/module/apparmor/parameters/enabled")?.Trim() is "Y" or "1";
        string? enforce = ctx.Fs.ReadText("/sys/fs/selinux/enforce")?.Trim();
        bool selinux = enforce is not null;
        string hostText = apparmor ? "AppArmor is enabled"
            : selinux ? $"SELinux is {(enforce == "1" ? "enforcing" : "permissive")}"
            : "Neither AppArmor nor SELinux is active";
        if (conn is null)
        {
            return HostCheckFinding.Skip($"{hostText}; libvirt is not reachable, so its security driver is unknown (see LibvirtDaemon).");
        }
        string seen = $"{hostText}; {driversText}";
        string? lsm = apparmor ? "apparmor" : selinux ? "selinux" : null;
        if (lsm is null)
        {
            return HostCheckFinding.Pass(seen + (models.Contains("dac") ? ": guests are kept apart by user ids (dac)." : "."));
        }
        if (models.Contains(lsm))
        {
            return HostCheckFinding.Pass(seen + ".");
        }
        if (!IsQemu(conn, out _))
        {
            return HostCheckFinding.Pass(seen + " (not the QEMU driver).");
        }
        return HostCheckFinding.Warn(seen + $": guests are not confined by {(apparmor ? "AppArmor" : "SELinux")}.",
            $"# Set security_driver = \"{lsm}\" in /etc/libvirt/qemu.conf (or remove a security_driver = \"none\" line), then restart the daemon:",
            ctx.Distro.HasSystemd ? $"{ctx.Sudo}systemctl restart libvirtd" : "# stop libvirtd, then start it again: libvirtd -d");
    }
}

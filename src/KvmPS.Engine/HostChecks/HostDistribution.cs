namespace KvmPS.Engine.HostChecks;

/// <summary>
/// The distribution (from /etc/os-release) and how things are done on it: which package holds
/// libvirt's daemon and QEMU, how to install a package, how to start the daemon, how to add a
/// kernel argument.
/// </summary>
public sealed class HostDistribution
{
    public string Id { get; init; } = "";
    public string VersionId { get; init; } = "";
    public string PrettyName { get; init; } = "";
    public DistroFamily Family { get; init; }

    /// <summary>Whether systemd runs the system (/run/systemd/system exists).</summary>
    public bool HasSystemd { get; init; }

    public override string ToString() => (Id + " " + VersionId).Trim();

    public static HostDistribution Read(IHostFileSystem fs)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in (fs.ReadText("/etc/os-release") ?? fs.ReadText("/usr/lib/os-release") ?? "").Split('\n'))
        {
            int eq = line.IndexOf('=');
            if (eq > 0)
            {
                fields[line[..eq].Trim()] = line[(eq + 1)..].Trim().Trim('"', '\'');
            }
        }
        string id = fields.GetValueOrDefault("ID", "");
        string[] like = (id + " " + fields.GetValueOrDefault("ID_LIKE", "")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        DistroFamily family =
            like.Any(l => l is "debian" or "ubuntu") ? DistroFamily.Debian
            : like.Any(l => l is "fedora" or "rhel" or "centos") ? DistroFamily.Fedora
            : like.Any(l => l.StartsWith("suse", StringComparison.Ordinal) || l.StartsWith("opensuse", StringComparison.Ordinal) || l == "sles") ? DistroFamily.Suse
            : like.Any(l => l is "arch") ? DistroFamily.Arch
            : DistroFamily.Unknown;
        return new HostDistribution
        {
            Id = id,
            VersionId = fields.GetValueOrDefault("VERSION_ID", ""),
            PrettyName = fields.GetValueOrDefault("PRETTY_NAME", id),
            Family = family,
            HasSystemd = fs.Stat("/run/systemd/system").Kind == HostNodeKind.Directory,
        };
    }

    /// <summary>The package with libvirt's system daemon.</summary>
    public string LibvirtPackage => Family switch
    {
        DistroFamily.Debian => "libvirt-daemon-system",
        DistroFamily.Fedora => "libvirt-daemon-kvm",
        _ => "libvirt",
    };

    /// <summary>The package with libvirt's C library alone (enough for a remote URI).</summary>
    public string LibvirtClientPackage => Family switch
    {
        DistroFamily.Debian => "libvirt0",
        DistroFamily.Fedora or DistroFamily.Suse => "libvirt-libs",
        _ => "libvirt",
    };

    /// <summary>The package with QEMU for the host's architecture.</summary>
    public string QemuPackage(string arch) => Family switch
    {
        DistroFamily.Debian => arch switch
        {
            "aarch64" => "qemu-system-arm",
            "ppc64le" or "ppc64" => "qemu-system-ppc",
            "s390x" => "qemu-system-s390x",
            _ => "qemu-system-x86",
        },
        DistroFamily.Fedora or DistroFamily.Suse => "qemu-kvm",
        DistroFamily.Arch => "qemu-base",
        _ => "qemu",
    };

    /// <summary>The install command as a program and its arguments (non-interactive).</summary>
    public (string Program, string[] Arguments)? InstallCommand(string package) => Family switch
    {
        DistroFamily.Debian => ("apt-get", new[] { "install", "-y", package }),
        DistroFamily.Fedora => ("dnf", new[] { "install", "-y", package }),
        DistroFamily.Suse => ("zypper", new[] { "--non-interactive", "install", package }),
        DistroFamily.Arch => ("pacman", new[] { "-S", "--noconfirm", package }),
        _ => null,
    };

    /// <summary>The package with modprobe.</summary>
    public const string KmodPackage = "kmod";

    /// <summary>How to make the kernel command line carry some arguments from the next boot on.</summary>
    public string[] KernelArgumentCommands(string args) => Family switch
    {
        DistroFamily.Fedora => new[] { $"grubby --update-kernel=ALL --args=\"{args}\"", "reboot" },
        DistroFamily.Debian => new[] { $"sed -i 's/^GRUB_CMDLINE_LINUX_DEFAULT=\"/&{args} /' /etc/default/grub", "update-grub", "reboot" },
        DistroFamily.Suse => new[] { $"sed -i 's/^GRUB_CMDLINE_LINUX_DEFAULT=\"/&{args} /' /etc/default/grub", "grub2-mkconfig -o /boot/grub2/grub.cfg", "reboot" },
        DistroFamily.Arch => new[] { $"sed -i 's/^GRUB_CMDLINE_LINUX_DEFAULT=\"/&{args} /' /etc/default/grub", "grub-mkconfig -o /boot/grub/grub.cfg", "reboot" },
        _ => new[] { $"add '{args}' to the kernel command line in your boot loader's configuration", "reboot" },
    };
}

using System.Text.RegularExpressions;

namespace KvmPS.Engine.Domains;

/// <summary>
/// The install kernel and initrd of an install tree (-Location), found where virt-install looks
/// for the common distributions: the .treeinfo of Fedora, RHEL, CentOS and their kin, then the
/// known places of Fedora/RHEL (images/pxeboot), Debian (install.amd, the netboot tree), Ubuntu
/// (casper, install), openSUSE/SLES (boot/x86_64/loader) and Alpine (boot/vmlinuz-lts).
/// </summary>
public sealed partial record VmLocation(string Kernel, string? Initrd, string? Iso)
{
    /// <summary>Kernel and initrd paths relative to the tree's root, in the order they are tried.</summary>
    public static readonly IReadOnlyList<(string Kernel, string Initrd)> KnownLayouts = new[]
    {
        ("images/pxeboot/vmlinuz", "images/pxeboot/initrd.img"),
        ("install.amd/vmlinuz", "install.amd/initrd.gz"),
        ("current/images/netboot/debian-installer/amd64/linux", "current/images/netboot/debian-installer/amd64/initrd.gz"),
        ("debian-installer/amd64/linux", "debian-installer/amd64/initrd.gz"),
        ("install/netboot/ubuntu-installer/amd64/linux", "install/netboot/ubuntu-installer/amd64/initrd.gz"),
        ("casper/vmlinuz", "casper/initrd"),
        ("install/vmlinuz", "install/initrd.gz"),
        ("boot/x86_64/loader/linux", "boot/x86_64/loader/initrd"),
        ("boot/vmlinuz-lts", "boot/initramfs-lts"),
        ("isolinux/vmlinuz", "isolinux/initrd.img"),
    };

    [GeneratedRegex(@"^\s*\[images-x86_64\]\s*$")]
    private static partial Regex ImagesSection();

    /// <summary>
    /// Finds the kernel and initrd in the tree at <paramref name="location"/> (a host path). Throws
    /// <see cref="VmRequestException"/> when it is no directory of this machine or no layout fits.
    /// </summary>
    public static VmLocation Find(string vmName, string location, bool local)
    {
        if (!local)
        {
            throw VmRequestException.Invalid(vmName, "LocationNotLocal", $"-Location '{location}' is read on this machine; for a remote host give -Kernel/-Initrd of its own files or -Cdrom.");
        }
        if (File.Exists(location))
        {
            throw VmRequestException.Invalid(vmName, "LocationIsoNotSupported", $"-Location '{location}' is a file: give the install tree as a directory (the ISO mounted or unpacked), or the ISO with -Cdrom.");
        }
        if (!Directory.Exists(location))
        {
            throw VmRequestException.Invalid(vmName, "FileNotFound", $"-Location: '{location}' does not exist.");
        }
        if (FromTreeInfo(location) is VmLocation fromTreeInfo)
        {
            return fromTreeInfo;
        }
        foreach (var (kernel, initrd) in KnownLayouts)
        {
            string k = Path.Combine(location, kernel), i = Path.Combine(location, initrd);
            if (File.Exists(k) && File.Exists(i))
            {
                return new VmLocation(k, i, null);
            }
        }
        throw VmRequestException.Invalid(vmName, "LocationNotRecognized",
            $"-Location '{location}': no install kernel and initrd found (a .treeinfo, or one of {string.Join(", ", KnownLayouts.Select(l => l.Kernel))}). Give -Kernel and -Initrd for another layout.");
    }

    /// <summary>The [images-x86_64] kernel and initrd of a .treeinfo, when both exist.</summary>
    private static VmLocation? FromTreeInfo(string root)
    {
        string file = Path.Combine(root, ".treeinfo");
        if (!File.Exists(file))
        {
            return null;
        }
        string? kernel = null, initrd = null;
        bool inImages = false;
        foreach (string line in File.ReadLines(file))
        {
            if (line.TrimStart().StartsWith('['))
            {
                inImages = ImagesSection().IsMatch(line);
                continue;
            }
            int eq = line.IndexOf('=');
            if (!inImages || eq < 0)
            {
                continue;
            }
            string key = line[..eq].Trim(), value = line[(eq + 1)..].Trim();
            if (key == "kernel")
            {
                kernel = value;
            }
            else if (key == "initrd")
            {
                initrd = value;
            }
        }
        if (kernel is null || initrd is null)
        {
            return null;
        }
        string k = Path.Combine(root, kernel), i = Path.Combine(root, initrd);
        return File.Exists(k) && File.Exists(i) ? new VmLocation(k, i, null) : null;
    }
}

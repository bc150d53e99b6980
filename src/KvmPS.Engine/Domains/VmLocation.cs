using System.Text.RegularExpressions;
using KvmPS.Engine.Iso;

namespace KvmPS.Engine.Domains;

/// <summary>
/// The install kernel and initrd of an install tree (-Location), found where virt-install looks
/// for the common distributions: the .treeinfo of Fedora, RHEL, CentOS and their kin, then the
/// known places of Fedora/RHEL (images/pxeboot), Debian (install.amd, the netboot tree), Ubuntu
/// (casper, install), openSUSE/SLES (boot/x86_64/loader) and Alpine (boot/vmlinuz-lts). An ISO
/// image is read the same way (osinfo-db's kernel and initrd of the OS variant's media first):
/// then <see cref="Kernel"/> and <see cref="Initrd"/> are paths inside <see cref="Iso"/>, which
/// the install boot also has as its CD-ROM so that the installer finds its packages.
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

    [GeneratedRegex(@"^\s*\[images-([A-Za-z0-9_]+)\]\s*$")]
    private static partial Regex ImagesSection();

    /// <summary>
    /// Finds the kernel and initrd in the tree at <paramref name="location"/> (a path of this
    /// machine, for a remote host too: its files are then uploaded into <paramref name="pool"/>).
    /// Throws <see cref="VmRequestException"/> when it is no directory or ISO here, no layout fits,
    /// or the host is remote and no pool is given.
    /// </summary>
    public static VmLocation Find(string vmName, string location, bool local, OsInfoEntry? os = null, string arch = "x86_64", string? pool = null)
    {
        if (!local && pool is null)
        {
            throw VmRequestException.Invalid(vmName, "LocationNeedsPool", $"-Location '{location}' is read on this machine, and its install kernel and initrd (and the ISO) go to the remote host through a storage pool of it: give -Pool.");
        }
        if (File.Exists(location))
        {
            return FromIso(vmName, location, os, arch);
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

    private static VmLocation FromIso(string vmName, string iso, OsInfoEntry? os, string arch)
    {
        try
        {
            using IsoImage image = IsoImage.Open(iso);
            bool IsFile(string p) => image.Find(p) is { IsDirectory: false };
            var candidates = new List<(string Kernel, string Initrd)>();
            candidates.AddRange((os?.BootFiles ?? Array.Empty<OsInfoBootFiles>()).Where(b => b.Arch == arch).Select(b => (b.Kernel, b.Initrd)));
            if (image.ReadText(".treeinfo") is string treeInfo && TreeInfoImages(treeInfo.Split('\n'), arch) is { } fromTree)
            {
                candidates.Add(fromTree);
            }
            candidates.AddRange(KnownLayouts);
            foreach (var (kernel, initrd) in candidates)
            {
                if (IsFile(kernel) && (initrd.Length == 0 || IsFile(initrd)))
                {
                    return new VmLocation(kernel.TrimStart('/'), initrd.Length == 0 ? null : initrd.TrimStart('/'), iso);
                }
            }
        }
        catch (IsoFormatException e)
        {
            throw VmRequestException.Invalid(vmName, "LocationNotIso", $"-Location '{iso}' is a file but no install tree ISO: {e.Message}");
        }
        throw VmRequestException.Invalid(vmName, "LocationNotRecognized",
            $"-Location '{iso}': no install kernel and initrd found in the ISO ({(os?.BootFiles.Length > 0 ? "osinfo-db's for the OS variant, " : "")}a .treeinfo, or one of {string.Join(", ", KnownLayouts.Select(l => l.Kernel))}). Give -Cdrom, or -Kernel and -Initrd for another layout.");
    }

    /// <summary>The [images-x86_64] kernel and initrd of a .treeinfo, when both exist.</summary>
    private static VmLocation? FromTreeInfo(string root)
    {
        string file = Path.Combine(root, ".treeinfo");
        if (!File.Exists(file) || TreeInfoImages(File.ReadLines(file), "x86_64") is not { } found)
        {
            return null;
        }
        string k = Path.Combine(root, found.Kernel), i = Path.Combine(root, found.Initrd);
        return File.Exists(k) && File.Exists(i) ? new VmLocation(k, i, null) : null;
    }

    /// <summary>The kernel and initrd of a .treeinfo's [images-ARCH] section.</summary>
    private static (string Kernel, string Initrd)? TreeInfoImages(IEnumerable<string> lines, string arch)
    {
        string? kernel = null, initrd = null;
        bool inImages = false;
        foreach (string line in lines)
        {
            if (line.TrimStart().StartsWith('['))
            {
                inImages = ImagesSection().Match(line) is { Success: true } m && m.Groups[1].Value == arch;
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
        return kernel is null || initrd is null ? null : (kernel, initrd);
    }
}

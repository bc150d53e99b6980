namespace KvmPS.Engine.Domains;

/// <summary>
/// What an OS variant supports, read from libosinfo the way virt-install's osdict reads it: the
/// chipset, the virtio devices, USB 3, the Windows family, the firmware it needs. "generic" (an
/// OS of which nothing is known) supports none of it: i440fx, IDE, e1000, USB 2.
/// </summary>
public sealed record VmOsDefaults
{
    private const string Pci = "http://pcisig.com/pci/";

    public string ShortId { get; init; } = "generic";
    public bool Q35 { get; init; }
    public bool VirtioDisk { get; init; }
    public bool VirtioNet { get; init; }
    public bool VirtioRng { get; init; }
    public bool VirtioSerial { get; init; }
    public bool VirtioGpu { get; init; }
    public bool VirtioBalloon { get; init; }
    public bool Usb3 { get; init; }

    /// <summary>The NIC model when virtio is not supported and the machine is not q35 (e1000, rtl8139, ...).</summary>
    public string LegacyNicModel { get; init; } = "e1000";

    /// <summary>Families win9x, winnt, win16: Hyper-V enlightenments and a localtime clock.</summary>
    public bool IsWindows { get; init; }

    /// <summary>utc, or localtime for Windows and Solaris.</summary>
    public string ClockOffset { get; init; } = "utc";

    /// <summary>The OS supports UEFI and not BIOS on x86_64 (and win11, which virt-install names).</summary>
    public bool RequiresEfi { get; init; }

    /// <summary>Secure boot is part of the OS's requirements (win11).</summary>
    public bool RequiresSecureBoot { get; init; }

    /// <summary>A TPM 2.0 is part of the OS's requirements (win11).</summary>
    public bool RequiresTpm { get; init; }

    /// <summary>
    /// A VM with nothing to boot and no OS variant (which virt-install cannot make): the modern
    /// set KvmPS has always given it (q35, virtio, USB 3, RNG, agent channel).
    /// </summary>
    public static VmOsDefaults Unspecified { get; } = new()
    {
        ShortId = "", Q35 = true, VirtioDisk = true, VirtioNet = true, VirtioRng = true, VirtioSerial = true, VirtioBalloon = true, Usb3 = true,
    };

    /// <summary>The defaults of virt-install's "generic" OS.</summary>
    public static VmOsDefaults Generic { get; } = new();

    /// <summary>Whether a short id names virt-install's generic OS (not in osinfo-db).</summary>
    public static bool IsGeneric(string? shortId) => string.Equals(shortId, "generic", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Models virt-install prefers, in order, for a NIC of an OS without virtio on i440fx, with
    /// their PCI ids in osinfo-db.
    /// </summary>
    private static readonly (string Model, string Id)[] s_legacyNics =
    {
        ("e1000", Pci + "8086/100e"), ("rtl8139", Pci + "10ec/8139"), ("ne2k_pci", Pci + "10ec/8029"), ("pcnet", Pci + "1022/2000"),
    };

    /// <summary>What <paramref name="os"/> supports on <paramref name="arch"/>.</summary>
    public static VmOsDefaults Of(OsInfoDatabase db, OsInfoEntry os, string arch = "x86_64")
    {
        HashSet<string> devs = db.DevicesOf(os);
        bool Has(params string[] ids) => ids.Any(id => devs.Contains(Pci + id));
        bool virtioNet = Has("1af4/1000", "1af4/1041");
        bool virtio1 = Has("1af4/1041");
        bool windows = os.Family is "win9x" or "winnt" or "win16";
        bool win11 = os.ShortIds.Contains("win11", StringComparer.Ordinal);
        bool efi = db.SupportsFirmware(os, arch, "efi") ?? false;
        bool bios = db.SupportsFirmware(os, arch, "bios") ?? true;
        return new VmOsDefaults
        {
            ShortId = os.ShortId,
            Q35 = devs.Contains("http://qemu.org/chipset/x86/q35") && !(virtioNet && !virtio1),
            VirtioDisk = Has("1af4/1001", "1af4/1042"),
            VirtioNet = virtioNet,
            VirtioRng = Has("1af4/1005", "1af4/1044"),
            VirtioSerial = Has("1af4/1003", "1af4/1043") || db.IsRelatedTo(os, "rhel6.0"),
            VirtioGpu = Has("1af4/1050"),
            VirtioBalloon = Has("1af4/1002", "1af4/1045"),
            Usb3 = Has("1b36/0004"),
            LegacyNicModel = s_legacyNics.FirstOrDefault(n => devs.Contains(n.Id)).Model ?? "e1000",
            IsWindows = windows,
            ClockOffset = windows || os.Family == "solaris" ? "localtime" : "utc",
            RequiresEfi = (efi && !bios) || win11,
            RequiresSecureBoot = win11,
            RequiresTpm = win11,
        };
    }
}

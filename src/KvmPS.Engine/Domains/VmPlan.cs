namespace KvmPS.Engine.Domains;

/// <summary>
/// What New-KvmVM will create, decided before anything is made: the accelerator and machine, the
/// storage, the adapters, the HighPerformance tuning, and the warnings about what the host cannot
/// give. <see cref="VmProvisioner.Apply"/> carries it out.
/// </summary>
public sealed class VmPlan
{
    public VmRequest Request { get; init; } = new();

    /// <summary>The connection the plan was made on (and is applied on).</summary>
    public LibvirtConnection Connection { get; init; } = null!;

    /// <summary>Whether the host is this machine (its files are the host's files).</summary>
    public bool Local { get; init; }

    public Guid Uuid { get; init; }

    /// <summary>kvm, qemu, or the driver's own type (test, ...).</summary>
    public string DomainType { get; init; } = "";

    public string Arch { get; init; } = "";
    public string? Machine { get; init; }
    public string? CpuMode { get; init; }
    public bool IsQemu { get; init; }
    public string? OsId { get; init; }
    public string? OsShortId { get; init; }
    public bool VirtioDisk { get; init; } = true;
    public bool VirtioNet { get; init; } = true;

    public VmDiskPlan? Disk { get; init; }

    /// <summary>The disks of -Disk, after <see cref="Disk"/>.</summary>
    public List<VmDiskPlan> ExtraDisks { get; init; } = new();

    /// <summary>Every disk to make or take, in order.</summary>
    public IEnumerable<VmDiskPlan> AllDisks => (Disk is null ? Enumerable.Empty<VmDiskPlan>() : new[] { Disk }).Concat(ExtraDisks);

    /// <summary>The install kernel and initrd of -Location (host paths), booted once.</summary>
    public string? InstallKernel { get; init; }
    public string? InstallInitrd { get; init; }

    /// <summary>The &lt;hostdev&gt; elements of -HostDevice, checked against the host's node devices.</summary>
    public IReadOnlyList<System.Xml.Linq.XElement> HostDevices { get; init; } = Array.Empty<System.Xml.Linq.XElement>();

    /// <summary>For an ISO -Location: the kernel and initrd read out of it before the install boot.</summary>
    public VmIsoBoot? IsoBoot { get; init; }

    /// <summary>The remote host's copies of a -Location's kernel, initrd and ISO, uploaded into -Pool.</summary>
    public VmLocationUpload? LocationUpload { get; init; }

    /// <summary>The -Location tree as read on this machine.</summary>
    public VmLocation? Location { get; init; }

    /// <summary>The root password generated for cloud-init (-RootPasswordGenerate), or null.</summary>
    public System.Security.SecureString? GeneratedRootPassword { get; init; }

    /// <summary>A Windows guest: its install medium stays in after the first boot (it reboots from it).</summary>
    public bool IsWindows { get; init; }

    /// <summary>The install CD-ROM as a host path.</summary>
    public string? Cdrom { get; init; }

    public VmSeedPlan? Seed { get; init; }
    public List<VmNicSpec> Nics { get; init; } = new();
    public string? Kernel { get; init; }
    public string? Initrd { get; init; }
    public string? SerialLogPath { get; init; }

    /// <summary>Queues of the multiqueue vhost NICs (HighPerformance), or null.</summary>
    public int? NicQueues { get; init; }

    /// <summary>The HighPerformance settings, or null for the default profile.</summary>
    public VmHighPerformance? HighPerformance { get; init; }

    /// <summary>The per-OS devices, firmware, graphics and TPM (see <see cref="VmGuestSetup"/>); null keeps the request's.</summary>
    public VmGuestSetup? Guest { get; init; }

    /// <summary>What the VM will not get as asked, for the warning stream.</summary>
    public List<string> Warnings { get; init; } = new();

    /// <summary>The domain XML for the given disks (their paths are known once the storage exists).</summary>
    public string BuildDomainXml(IReadOnlyList<VmDiskSpec> disks)
    {
        VmRequest r = Request;
        bool highPerf = HighPerformance is not null;
        var spec = new VmSpec
        {
            Name = r.Name,
            Uuid = Uuid,
            MemoryBytes = r.MemoryBytes,
            VCpuCount = r.VCpuCount,
            DomainType = DomainType,
            Arch = Arch,
            Machine = Machine,
            Firmware = Guest?.Firmware ?? r.Firmware,
            Disks = disks.ToList(),
            Nics = Nics,
            Graphics = Guest?.Graphics ?? r.Graphics,
            GraphicsListen = r.GraphicsListen == "none" ? null : r.GraphicsListen,
            Kernel = Kernel,
            Initrd = Initrd,
            KernelArgs = r.KernelArgs,
            SerialLogPath = SerialLogPath,
            Description = r.Description,
            OsId = OsId,
            OsShortId = OsShortId,
            VirtioDisk = VirtioDisk,
            VirtioNet = VirtioNet,
            CdromFirst = r.Cdrom is not null && !r.Import,
            IsQemu = IsQemu,
            CpuMode = CpuMode,
            DiskCache = highPerf && IsQemu ? "none" : null,
            DiskIO = highPerf && IsQemu ? "native" : null,
            NicQueues = NicQueues,
        };
        var xml = DomainXmlBuilder.Build(spec);
        if (Guest is { Applies: true } guest)
        {
            guest.ApplyTo(xml);
        }
        HighPerformance?.ApplyTo(xml);
        VmXmlOptions.Apply(xml, r, IsQemu, VirtioNet ? "virtio" : Machine?.Contains("q35", StringComparison.Ordinal) == true ? "e1000e" : "e1000");
        xml.Element("devices")?.Add(HostDevices.Select(h => new System.Xml.Linq.XElement(h)));
        return xml.ToString();
    }
}

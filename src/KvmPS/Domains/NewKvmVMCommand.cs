using System.Management.Automation;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Creates a virtual machine the way virt-install does, with its storage, and optionally starts it.</summary>
[Cmdlet(VerbsCommon.New, "KvmVM", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVM))]
public sealed partial class NewKvmVMCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true)]
    [ValidateRange(16UL * 1048576, ulong.MaxValue)]
    public ulong Memory { get; set; }

    [Parameter]
    [ValidateRange(1, 4096)]
    public int VCpuCount { get; set; } = 1;

    [Parameter]
    [ValidateRange(1048576UL, ulong.MaxValue)]
    public ulong DiskSize { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Pool { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DiskPath { get; set; }

    [Parameter]
    public KvmDiskFormat DiskFormat { get; set; } = KvmDiskFormat.Qcow2;

    [Parameter]
    public SwitchParameter Import { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Cdrom { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Network { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Bridge { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? MacAddress { get; set; }

    [Parameter]
    public VmGraphics Graphics { get; set; } = VmGraphics.Vnc;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? GraphicsListen { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(OSVariantCompleter))]
    [ValidateNotNullOrEmpty]
    public string? OSVariant { get; set; }

    [Parameter]
    public VmFirmware Firmware { get; set; } = VmFirmware.Bios;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MachineType { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Kernel { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Initrd { get; set; }

    [Parameter]
    public string? KernelArgs { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SerialLogPath { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CloudInit { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CloudInitMetaData { get; set; }

    [Parameter]
    public string? Description { get; set; }

    [Parameter]
    public KvmVirtType VirtType { get; set; } = KvmVirtType.Auto;

    [Parameter]
    public KvmVMProfile Profile { get; set; } = KvmVMProfile.Default;

    [Parameter]
    public SwitchParameter Autostart { get; set; }

    [Parameter]
    public SwitchParameter Start { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override object? ErrorTarget => Name;

    protected override string FailureErrorId => "NewVMFailed";

    [GeneratedRegex("^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$")]
    private static partial Regex MacRegex();

    private bool Has(string p) => MyInvocation.BoundParameters.ContainsKey(p);

    private void Invalid(string message, string id) => WriteError(ErrorHelper.InvalidArgument(message, id, Name));

    protected override void ProcessRecordCore()
    {
        // 1. Everything about the request itself, before looking at the host.
        if (Name.IndexOfAny(new[] { '/', '\\' }) >= 0)
        {
            Invalid($"'{Name}' is not a valid VM name: it must not contain '/' or '\\'.", "InvalidName");
            return;
        }
        if (Pool is not null && DiskPath is not null)
        {
            Invalid("Use -Pool (a new volume) or -DiskPath (a file), not both.", "ConflictingDiskParameters");
            return;
        }
        if (Has(nameof(DiskSize)) && Pool is null && DiskPath is null)
        {
            Invalid("-DiskSize needs -Pool (a volume is created in it) or -DiskPath (the file is created).", "DiskSizeWithoutTarget");
            return;
        }
        if (Pool is not null && !Has(nameof(DiskSize)))
        {
            Invalid("-Pool needs -DiskSize: the size of the volume to create.", "PoolWithoutSize");
            return;
        }
        if (Import && DiskPath is null)
        {
            Invalid("-Import boots an existing disk: give its file with -DiskPath.", "ImportWithoutDisk");
            return;
        }
        if ((Initrd is not null || KernelArgs is not null) && Kernel is null)
        {
            Invalid("-Initrd and -KernelArgs are for direct kernel boot: give -Kernel too.", "KernelArgsWithoutKernel");
            return;
        }
        if (CloudInitMetaData is not null && CloudInit is null)
        {
            Invalid("-CloudInitMetaData goes with -CloudInit (the user-data).", "MetaDataWithoutUserData");
            return;
        }
        if (CloudInit is not null && Pool is null && DiskPath is null)
        {
            Invalid("-CloudInit puts its seed ISO beside the VM's disk: give -Pool or -DiskPath.", "CloudInitWithoutStorage");
            return;
        }
        int nicCount = (Network?.Length ?? 0) + (Bridge is null ? 0 : 1);
        if (MacAddress is not null)
        {
            if (MacAddress.Length > nicCount)
            {
                Invalid($"{MacAddress.Length} MAC address(es) for {nicCount} network adapter(s).", "TooManyMacAddresses");
                return;
            }
            foreach (string mac in MacAddress)
            {
                if (!MacRegex().IsMatch(mac) || (Convert.ToByte(mac[..2], 16) & 1) == 1)
                {
                    Invalid($"'{mac}' is not a unicast MAC address (xx:xx:xx:xx:xx:xx).", "InvalidMacAddress");
                    return;
                }
            }
        }

        OsInfoEntry? os = null;
        var osdb = OsInfoDatabase.Default;
        if (OSVariant is not null)
        {
            os = osdb.Find(OSVariant);
            if (os is null)
            {
                string hint = osdb.IsEmpty ? " The libosinfo database (osinfo-db) is not installed." : $" Closest: {string.Join(", ", osdb.Suggest(OSVariant))}.";
                Invalid($"Unknown OS variant '{OSVariant}'.{hint}", "UnknownOSVariant");
                return;
            }
        }

        // 2. What the host has.
        LibvirtConnection conn = GetConnection();
        bool local = KvmPS.Engine.Storage.VolumePlanner.IsLocal(conn.Uri);
        using (DomainHandle? existing = DomainService.TryLookup(conn, Name))
        {
            if (existing is not null)
            {
                WriteError(ErrorHelper.Create(new InvalidOperationException($"A VM named '{Name}' already exists; it was left untouched."),
                    "VMExists", ErrorCategory.ResourceExists, Name));
                return;
            }
        }
        foreach (string net in Network ?? Array.Empty<string>())
        {
            try
            {
                conn.LookupNetwork(net).Dispose();
            }
            catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoNetwork)
            {
                WriteError(ErrorHelper.Create(new ItemNotFoundException($"No libvirt network named '{net}' on {conn.Uri}."),
                    "NetworkNotFound", ErrorCategory.ObjectNotFound, net));
                return;
            }
        }
        if (Pool is not null)
        {
            try
            {
                conn.LookupStoragePool(Pool).Dispose();
            }
            catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoStoragePool)
            {
                WriteError(ErrorHelper.Create(new ItemNotFoundException($"No storage pool named '{Pool}' on {conn.Uri}."),
                    "PoolNotFound", ErrorCategory.ObjectNotFound, Pool));
                return;
            }
        }
        string? diskPath = DiskPath is null ? null : GetUnresolvedProviderPathFromPSPath(DiskPath);
        bool diskExists = diskPath is not null && File.Exists(diskPath);
        if (local)
        {
            foreach (var (param, value) in new[] { ("Cdrom", Cdrom), ("Kernel", Kernel), ("Initrd", Initrd) })
            {
                if (value is not null && !File.Exists(GetUnresolvedProviderPathFromPSPath(value)))
                {
                    Invalid($"-{param}: '{value}' does not exist.", "FileNotFound");
                    return;
                }
            }
            if (diskPath is not null && !diskExists && !Has(nameof(DiskSize)))
            {
                Invalid($"-DiskPath '{diskPath}' does not exist: give -DiskSize to create it, or an existing image.", "DiskNotFound");
                return;
            }
            if (Import && !diskExists)
            {
                Invalid($"-Import needs an existing disk; '{diskPath}' does not exist.", "DiskNotFound");
                return;
            }
        }
        else if (diskPath is not null && !Import)
        {
            Invalid("Creating a disk file needs a local host; on a remote host use -Pool.", "DiskPathOnRemoteHost");
            return;
        }

        string caps = conn.GetCapabilitiesXml();
        GuestArch? guest = GuestCapabilities.Choose(GuestCapabilities.Parse(caps), GuestCapabilities.HostArch(caps), null);
        if (guest is null || guest.DomainTypes.Length == 0)
        {
            WriteError(ErrorHelper.Create(new NotSupportedException($"{conn.Uri} offers no hardware-virtualized (hvm) guests."),
                "NoHvmGuest", ErrorCategory.NotImplemented, Name));
            return;
        }
        bool isQemu = conn.GetHypervisorType().Equals("QEMU", StringComparison.OrdinalIgnoreCase);
        var hostFeatures = GuestCapabilities.HostCpuFeatures(caps);
        // KVM counts as usable when libvirt offers it and the host CPU shows vmx/svm. A host that
        // offers kvm without them (nested or paravirtualized KVM) was seen to start QEMU but never
        // run the guest, and to abort with host-passthrough: such a host gets QEMU emulation.
        bool cpuHasVirt = GuestCapabilities.CpuRunsKvmGuests(hostFeatures);
        string domainType;
        if (!isQemu)
        {
            domainType = guest.DomainTypes[0];
        }
        else if (VirtType == KvmVirtType.Kvm)
        {
            if (!guest.DomainTypes.Contains("kvm"))
            {
                Invalid($"-VirtType Kvm: {conn.Uri} does not offer KVM for {guest.Arch}.", "KvmNotAvailable");
                return;
            }
            domainType = "kvm";
        }
        else if (VirtType == KvmVirtType.Auto && guest.DomainTypes.Contains("kvm") && cpuHasVirt)
        {
            domainType = "kvm";
        }
        else
        {
            domainType = "qemu";
            if (VirtType == KvmVirtType.Auto)
            {
                string why = guest.DomainTypes.Contains("kvm")
                    ? "it offers KVM but its CPU shows no vmx/svm, and guests were seen not to run under such KVM"
                    : "it does not offer KVM";
                WriteWarning($"'{Name}' uses QEMU software emulation (slow) on {conn.Uri}: {why}. Use -VirtType Kvm to force KVM.");
            }
        }

        // virt-install passes the host CPU through on KVM.
        string? cpuMode = isQemu && domainType == "kvm" && cpuHasVirt ? "host-passthrough" : null;
        string? machine = MachineType;
        if (machine is null && isQemu && guest.Arch is "x86_64" or "i686")
        {
            bool q35 = guest.Machines.Contains("q35") && (os is null || osdb.SupportsQ35(os));
            machine = q35 ? "q35" : guest.Machines.Contains("pc") ? "pc" : null;
        }
        else if (machine is not null && isQemu && guest.Machines.Count > 0 && !guest.Machines.Contains(machine))
        {
            Invalid($"Machine type '{machine}' is not offered for {guest.Arch} on {conn.Uri}.", "UnknownMachineType");
            return;
        }

        if (!ShouldProcess(Name, $"Create VM ({Memory / 1048576} MiB, {VCpuCount} vCPU{(Has(nameof(DiskSize)) ? $", {DiskSize / 1073741824.0:0.#} GiB disk" : "")})"))
        {
            return;
        }

        // 3. Create, remembering what was made so that a failure undoes it.
        var created = new List<string>();
        DomainHandle? domain = null;
        try
        {
            Guid uuid = Guid.NewGuid();
            bool highPerf = Profile == KvmVMProfile.HighPerformance;
            var disks = new List<VmDiskSpec>();
            string format = DiskFormat == KvmDiskFormat.Raw ? "raw" : "qcow2";
            string? diskDir = null;
            if (Pool is not null)
            {
                string vol = $"{Name}.{format}";
                WriteVerbose($"Creating volume '{vol}' ({DiskSize} bytes) in pool '{Pool}'.");
                string path = VmStorage.CreatePoolVolume(conn, Pool, vol, DiskSize, format);
                created.Add(path);
                disks.Add(new VmDiskSpec { Path = path, Format = format, Owned = true });
                diskDir = Path.GetDirectoryName(path);
            }
            else if (diskPath is not null)
            {
                if (diskExists)
                {
                    string detected = Has(nameof(DiskFormat)) ? format : VmStorage.DetectFormatAsync(diskPath, CancelToken).GetAwaiter().GetResult();
                    WriteVerbose($"Using the existing disk '{diskPath}' ({detected}).");
                    disks.Add(new VmDiskSpec { Path = diskPath, Format = detected });
                }
                else
                {
                    WriteVerbose($"Creating disk '{diskPath}' ({DiskSize} bytes, {format}).");
                    VmStorage.CreateImageFileAsync(diskPath, DiskSize, format, CancelToken).GetAwaiter().GetResult();
                    created.Add(diskPath);
                    disks.Add(new VmDiskSpec { Path = diskPath, Format = format, Owned = true });
                }
                diskDir = Path.GetDirectoryName(diskPath);
            }
            if (Cdrom is not null)
            {
                disks.Add(new VmDiskSpec { Path = local ? GetUnresolvedProviderPathFromPSPath(Cdrom) : Cdrom, Device = "cdrom", Format = "raw" });
            }
            if (CloudInit is not null)
            {
                string meta = CloudInitMetaData ?? $"instance-id: {uuid}\nlocal-hostname: {Name}\n";
                string seedName = $"{Name}-cidata.iso";
                string seed;
                if (Pool is not null)
                {
                    // Made here, uploaded through libvirt: works for a remote host's pool too.
                    string tmp = Path.Combine(Path.GetTempPath(), $"kvmps-{Guid.NewGuid():N}-{seedName}");
                    try
                    {
                        VmStorage.CreateCloudInitSeedAsync(tmp, CloudInit, meta, null, CancelToken).GetAwaiter().GetResult();
                        WriteVerbose($"Uploading the cloud-init seed ISO as volume '{seedName}' in pool '{Pool}'.");
                        seed = VmStorage.UploadToPool(conn, Pool, seedName, tmp, CancelToken);
                    }
                    finally
                    {
                        File.Delete(tmp);
                    }
                }
                else
                {
                    seed = Path.Combine(diskDir!, seedName);
                    if (File.Exists(seed))
                    {
                        throw new IOException($"'{seed}' already exists; it was left untouched.");
                    }
                    WriteVerbose($"Creating the cloud-init seed ISO '{seed}'.");
                    VmStorage.CreateCloudInitSeedAsync(seed, CloudInit, meta, null, CancelToken).GetAwaiter().GetResult();
                }
                created.Add(seed);
                disks.Add(new VmDiskSpec { Path = seed, Device = "cdrom", Format = "raw", Owned = true });
            }

            var nics = new List<VmNicSpec>();
            int macIndex = 0;
            foreach (string net in Network ?? Array.Empty<string>())
            {
                nics.Add(new VmNicSpec { Network = net, MacAddress = MacAddress is not null && macIndex < MacAddress.Length ? MacAddress[macIndex++] : null });
            }
            if (Bridge is not null)
            {
                nics.Add(new VmNicSpec { Bridge = Bridge, MacAddress = MacAddress is not null && macIndex < MacAddress.Length ? MacAddress[macIndex] : null });
            }

            var spec = new VmSpec
            {
                Name = Name,
                Uuid = uuid,
                MemoryBytes = Memory,
                VCpuCount = VCpuCount,
                DomainType = domainType,
                Arch = guest.Arch,
                Machine = machine,
                Firmware = Firmware,
                Disks = disks,
                Nics = nics,
                Graphics = Graphics,
                GraphicsListen = GraphicsListen,
                Kernel = Kernel is null ? null : local ? GetUnresolvedProviderPathFromPSPath(Kernel) : Kernel,
                Initrd = Initrd is null ? null : local ? GetUnresolvedProviderPathFromPSPath(Initrd) : Initrd,
                KernelArgs = KernelArgs,
                SerialLogPath = SerialLogPath is null ? null : local ? GetUnresolvedProviderPathFromPSPath(SerialLogPath) : SerialLogPath,
                Description = Description,
                OsId = os?.Id,
                VirtioDisk = os is null || osdb.SupportsVirtioDisk(os),
                VirtioNet = os is null || osdb.SupportsVirtioNet(os),
                CdromFirst = Cdrom is not null && !Import,
                IsQemu = isQemu,
                CpuMode = cpuMode,
                DiskCache = highPerf && isQemu ? "none" : null,
                DiskIO = highPerf && isQemu ? "native" : null,
                NicQueues = highPerf && isQemu && VCpuCount > 1 && VhostUsable(local, domainType) ? Math.Min(VCpuCount, 8) : null,
            };
            XElement xml = DomainXmlBuilder.Build(spec);
            if (highPerf)
            {
                ApplyHighPerformance(conn, xml, domainType, isQemu);
            }
            WriteDebug(xml.ToString());
            domain = DomainService.Define(conn, xml.ToString());
            if (Autostart)
            {
                DomainService.SetAutostart(domain, true);
            }
            if (Start)
            {
                WriteVerbose($"Starting VM '{Name}'.");
                DomainService.Start(domain);
            }
            if (PassThru)
            {
                WriteObject(DomainService.Get(conn, domain));
            }
            domain.Dispose();
            domain = null;
        }
        catch (Exception e)
        {
            // Whatever stopped the request (libvirt, a file, a missing program, Ctrl+C), what was
            // made for it goes again.
            Undo(conn, domain, created, local);
            if (e is PipelineStoppedException or FlowControlException || (e is LibvirtException && !conn.IsAlive))
            {
                throw;
            }
            if (e is OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
            string message = $"Could not create VM '{Name}'; what was created was removed";
            WriteError(e is LibvirtException le
                ? ErrorHelper.Libvirt(le, FailureErrorId, Name, message)
                : ErrorHelper.Create(e, FailureErrorId,
                    e is InvalidOperationException ? ErrorCategory.ResourceExists
                    : e is KvmPS.Engine.Tuning.TuningException ? ErrorCategory.InvalidArgument
                    : ErrorHelper.CategoryOfHostFailure(e) ?? ErrorCategory.NotSpecified,
                    Name, $"{message}: {e.Message}"));
        }
    }

    /// <summary>
    /// The high-performance set: the host CPU passed through with a one-socket topology and its
    /// caches, vCPUs pinned by the planner (Spread: one physical core each, in one NUMA cell where
    /// they fit) with the emulator on a CPU of its own, 2 MiB huge pages without a balloon when the
    /// host has enough free, and (in the spec) direct I/O disks and multiqueue vhost NICs. What the
    /// host cannot give is skipped with a warning rather than making a VM that cannot start.
    /// </summary>
    private void ApplyHighPerformance(LibvirtConnection conn, XElement xml, string domainType, bool isQemu)
    {
        var host = KvmPS.Engine.Tuning.HostTopology.Read(conn);
        int n = VCpuCount;
        // host-passthrough is for KVM; under emulation 'maximum' offers every feature QEMU can.
        var cpuMode = domainType == "kvm" ? KvmCpuMode.HostPassthrough : KvmCpuMode.Maximum;
        KvmPS.Engine.Tuning.CpuXml.Apply(xml, new KvmPS.Engine.Tuning.CpuChange
        {
            Mode = isQemu ? cpuMode : null,
            Sockets = 1,
            Cores = n,
            Threads = 1,
            CachePassthrough = isQemu ? true : null,
        }, host.Vendor);
        if (domainType != "kvm" && isQemu)
        {
            WriteWarning($"'{Name}' runs under QEMU emulation: the HighPerformance profile is applied but cannot make it fast.");
        }

        try
        {
            var plan = KvmPS.Engine.Tuning.PinPlanner.Plan(host, new KvmPS.Engine.Tuning.PinRequest
            {
                VCpuCount = n,
                Strategy = KvmPinStrategy.Spread,
                Taken = KvmPS.Engine.Tuning.TuningService.TakenByOtherVMs(conn, Name),
            });
            foreach (string w in plan.Warnings)
            {
                WriteWarning($"'{Name}': {w}");
            }
            KvmPS.Engine.Tuning.CpuTuneXml.Apply(xml, new KvmPS.Engine.Tuning.PinChange
            {
                ReplaceVCpus = true,
                VCpus = plan.VCpuHostCpu.Select((cpu, v) => (v, cpu)).ToDictionary(x => x.v, x => new[] { x.cpu }),
                Emulator = plan.EmulatorCpus.Length > 0 ? plan.EmulatorCpus : null,
            });
            WriteVerbose($"Pinned vCPUs of '{Name}' to host CPUs {string.Join(",", plan.VCpuHostCpu)}; emulator on {CpuSet.Format(plan.EmulatorCpus)}.");
        }
        catch (KvmPS.Engine.Tuning.TuningException e)
        {
            WriteWarning($"'{Name}' is not pinned: {e.Message}");
        }

        const ulong page = 2UL << 20;
        var supply = KvmPS.Engine.Tuning.MemoryXml.HugePageSupply(KvmPS.Engine.Host.HostInfoReader.Read(conn), page, Memory, null);
        if (isQemu && Memory % page != 0)
        {
            WriteWarning($"'{Name}' uses ordinary pages: its memory is not a whole number of 2 MiB huge pages.");
        }
        else if (isQemu && supply is { } s && s.Free >= s.Needed)
        {
            KvmPS.Engine.Tuning.MemoryXml.Apply(xml, new KvmPS.Engine.Tuning.MemoryChange { HugePageBytes = page, NoBalloon = true }, host.PageSizesKiB);
            WriteVerbose($"'{Name}' is backed by 2 MiB huge pages ({s.Needed} of {s.Free} free).");
        }
        else if (isQemu)
        {
            string have = supply is { } t ? $"{t.Free} free, {t.Needed} needed" : "the host reports none";
            WriteWarning($"'{Name}' uses ordinary pages: not enough free 2 MiB huge pages ({have}). Reserve them (Repair-KvmHost -Check HugePages -HugePageCount N) and use Set-KvmMemory -HugePageSize 2MB.");
        }
    }

    /// <summary>
    /// Whether a KVM guest here can have the vhost-net backend: QEMU refuses to start one when
    /// /dev/vhost-net is missing. Only a local host can be checked; a remote one is trusted.
    /// </summary>
    private bool VhostUsable(bool local, string domainType)
    {
        if (Nics() == 0 || domainType != "kvm" || !local || File.Exists("/dev/vhost-net"))
        {
            return true;
        }
        WriteWarning($"'{Name}': /dev/vhost-net is missing (modprobe vhost_net), so its NICs keep the default backend without multiqueue.");
        return false;
    }

    private int Nics() => (Network?.Length ?? 0) + (Bridge is null ? 0 : 1);

    private void Undo(LibvirtConnection conn, DomainHandle? domain, List<string> created, bool local)
    {
        if (domain is not null)
        {
            try
            {
                if (DomainService.IsActive(domain))
                {
                    DomainService.Destroy(domain);
                }
                DomainService.Undefine(domain, removeNvram: true);
                WriteVerbose($"Undefined the half-made VM '{Name}'.");
            }
            catch (LibvirtException e)
            {
                WriteWarning($"Could not undefine the half-made VM '{Name}': {e.LibvirtMessage}");
            }
            domain.Dispose();
        }
        foreach (string path in created.AsEnumerable().Reverse())
        {
            try
            {
                WriteVerbose(OwnedStorage.Delete(conn, path, local));
            }
            catch (Exception e) when (e is LibvirtException or IOException or UnauthorizedAccessException)
            {
                WriteWarning($"Could not remove '{path}' after the failure: {e.Message}");
            }
        }
    }
}

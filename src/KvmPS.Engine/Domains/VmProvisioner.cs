using System.Text.RegularExpressions;
using System.Xml.Linq;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Native;
using KvmPS.Engine.Storage;

namespace KvmPS.Engine.Domains;

/// <summary>
/// Creates a VM the way virt-install does. <see cref="Plan"/> checks the request and decides
/// everything (accelerator, machine, storage, tuning) without changing the host;
/// <see cref="Apply"/> makes the storage, defines the VM and starts it, recording each thing made
/// in one <see cref="UndoLog"/>, so that any failure (libvirt, a file, a missing program,
/// cancellation) leaves nothing behind but the error.
/// </summary>
public static partial class VmProvisioner
{
    [GeneratedRegex("^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$")]
    private static partial Regex MacRegex();

    /// <summary>
    /// Checks everything about the request itself, before any host is asked; returns its OS
    /// variant (null when none was given). Throws <see cref="VmRequestException"/>.
    /// </summary>
    public static OsInfoEntry? CheckRequest(VmRequest r)
    {
        string name = r.Name;
        VmRequestException Invalid(string id, string message) => VmRequestException.Invalid(name, id, message);
        if (ObjectName.Validate("VM", name) is string badName)
        {
            throw Invalid("InvalidName", badName);
        }
        if (name.Contains('\\'))
        {
            throw Invalid("InvalidName", $"'{name}' is not a valid VM name: it must not contain '\\'.");
        }
        if (GuestLimits.MemoryProblem(name, r.MemoryBytes) is string tooMuch)
        {
            throw Invalid("MemoryTooLarge", tooMuch);
        }
        if (r.Pool is not null && r.DiskPath is not null)
        {
            throw Invalid("ConflictingDiskParameters", "Use -Pool (a new volume) or -DiskPath (a file), not both.");
        }
        if (r.DiskSizeBytes is not null && r.Pool is null && r.DiskPath is null)
        {
            throw Invalid("DiskSizeWithoutTarget", "-DiskSize needs -Pool (a volume is created in it) or -DiskPath (the file is created).");
        }
        if (r.Pool is not null && r.DiskSizeBytes is null)
        {
            throw Invalid("PoolWithoutSize", "-Pool needs -DiskSize: the size of the volume to create.");
        }
        if (r.Import && r.DiskPath is null)
        {
            throw Invalid("ImportWithoutDisk", "-Import boots an existing disk: give its file with -DiskPath.");
        }
        if ((r.Initrd is not null || r.KernelArgs is not null) && r.Kernel is null)
        {
            throw Invalid("KernelArgsWithoutKernel", "-Initrd and -KernelArgs are for direct kernel boot: give -Kernel too.");
        }
        VmCloudInitUserData.Check(r);
        if (r.CloudInitMetaData is not null && !VmCloudInitUserData.Wanted(r))
        {
            throw Invalid("MetaDataWithoutUserData", "-CloudInitMetaData goes with -CloudInit (the user-data).");
        }
        if (VmCloudInitUserData.Wanted(r) && r.Pool is null && r.DiskPath is null && !r.Install.Disks.Any(d => d.Device == "disk"))
        {
            throw Invalid("CloudInitWithoutStorage", "-CloudInit puts its seed ISO beside the VM's disk: give -Pool, -DiskPath or -Disk.");
        }
        if (r.MacAddresses is not null)
        {
            if (r.MacAddresses.Count > r.NicCount)
            {
                throw Invalid("TooManyMacAddresses", $"{r.MacAddresses.Count} MAC address(es) for {r.NicCount} network adapter(s).");
            }
            foreach (string mac in r.MacAddresses)
            {
                if (!MacRegex().IsMatch(mac) || (Convert.ToByte(mac[..2], 16) & 1) == 1)
                {
                    throw Invalid("InvalidMacAddress", $"'{mac}' is not a unicast MAC address (xx:xx:xx:xx:xx:xx).");
                }
            }
            if (MacAddressCheck.Check(HostDomains.From(Array.Empty<(string, XElement)>()), r.MacAddresses, null, force: true) is { } twice)
            {
                throw Invalid(twice.ErrorId, twice.Message);
            }
        }
        VmGuestSetup.Check(r);
        VmOptionChecks.Check(r);
        VmGuestPlanner.RequireOSVariant(r);
        if (r.OSVariant is null || VmOsDefaults.IsGeneric(r.OSVariant))
        {
            return null;
        }
        var osdb = OsInfoDatabase.Default;
        OsInfoEntry? os = osdb.Find(r.OSVariant);
        if (os is null)
        {
            string hint = osdb.IsEmpty ? " The libosinfo database (osinfo-db) is not installed." : $" Closest: {string.Join(", ", osdb.Suggest(r.OSVariant))}.";
            throw Invalid("UnknownOSVariant", $"Unknown OS variant '{r.OSVariant}'.{hint}");
        }
        return os;
    }

    /// <summary>
    /// Checks the request against the host and decides what to create; changes nothing. Throws
    /// <see cref="VmRequestException"/> for a request the host cannot take.
    /// </summary>
    public static VmPlan Plan(LibvirtConnection conn, VmRequest r)
    {
        OsInfoEntry? os = CheckRequest(r);
        string name = r.Name;
        bool local = conn.IsLocal;
        using (DomainHandle? existing = DomainService.TryLookup(conn, name))
        {
            if (existing is not null)
            {
                throw new VmRequestException("VMExists", KvmErrorKind.AlreadyExists, name, $"A VM named '{name}' already exists; it was left untouched.");
            }
        }
        foreach (string net in r.Networks)
        {
            try
            {
                conn.LookupNetwork(net).Dispose();
            }
            catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoNetwork)
            {
                throw new VmRequestException("NetworkNotFound", KvmErrorKind.NotFound, net, $"No libvirt network named '{net}' on {conn.Uri}.");
            }
        }
        if (r.MacAddresses is { Count: > 0 } macs
            && MacAddressCheck.Check(HostDomains.Read(conn), macs, null, r.AllowMacAddressInUse) is { } inUse)
        {
            throw new VmRequestException(inUse.ErrorId, inUse.Kind, inUse.Target ?? name, $"VM '{name}' was not created: {inUse.Message}");
        }
        if (r.Pool is not null)
        {
            try
            {
                conn.LookupStoragePool(r.Pool).Dispose();
            }
            catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoStoragePool)
            {
                throw new VmRequestException("PoolNotFound", KvmErrorKind.NotFound, r.Pool, $"No storage pool named '{r.Pool}' on {conn.Uri}.");
            }
        }
        List<XElement> hostDevices = VmPassthrough.Resolve(conn, name, r.Install.HostDevices);
        var warnings = new List<string>();
        // A remote host's files are its own: looked up through its pools, never on this machine.
        VmRemoteDisk? remote = local ? null : VmRemoteFiles.Check(conn, r, warnings);
        string? diskPath = r.DiskPath is null ? null : local ? r.ResolvePath(r.DiskPath) : r.DiskPath;
        bool diskExists = diskPath is not null && (remote?.Exists ?? File.Exists(diskPath));
        if (local)
        {
            CheckFiles(r, diskPath, diskExists);
        }

        VmHostFacts facts = VmHostFacts.For(conn);
        GuestArch? guest = GuestCapabilities.Choose(facts.Guests, facts.HostArch, null);
        if (guest is null || guest.DomainTypes.Length == 0)
        {
            throw new VmRequestException("NoHvmGuest", KvmErrorKind.NotSupported, name, $"{conn.Uri} offers no hardware-virtualized (hvm) guests.");
        }
        bool isQemu = facts.HypervisorType.Equals("QEMU", StringComparison.OrdinalIgnoreCase);
        bool cpuHasVirt = GuestCapabilities.CpuRunsKvmGuests(facts.CpuFeatures);
        var (domainType, virtWarning) = VmHostChoice.DomainType(name, conn.Uri, guest, isQemu, cpuHasVirt, r.VirtType);
        if (virtWarning is not null)
        {
            warnings.Add(virtWarning);
        }
        warnings.AddRange(VmHostLimits.Check(conn, r, domainType));
        VmGuestPlanner.RequireOSVariant(r, diskExists);
        // The OS database is read only for a request that names an OS variant (its first read
        // parses every osinfo-db file).
        VmGuestSetup setup = VmGuestPlanner.Plan(conn, r, os, guest.Arch, domainType, isQemu);
        string? machine = VmHostChoice.Machine(name, conn.Uri, guest, isQemu, r.MachineType, setup.WantsQ35);

        string? Host(string? path) => path is null ? null : local ? r.ResolvePath(path) : path;
        string format = r.DiskFormat ?? "qcow2";
        VmDiskPlan? disk = r.Pool is not null
            ? new VmDiskPlan(VmDiskSource.PoolVolume, $"{name}.{format}", r.Pool, r.DiskSizeBytes!.Value, format)
            : diskPath is null ? null
            : diskExists ? new VmDiskPlan(VmDiskSource.ExistingFile, diskPath, null, 0, remote?.Format ?? r.DiskFormat)
            : new VmDiskPlan(VmDiskSource.NewFile, diskPath, null, r.DiskSizeBytes!.Value, format);
        List<VmDiskPlan> extraDisks = VmExtraDisks.Plan(conn, r, local, disk?.Source == VmDiskSource.PoolVolume);
        // A location is read on this machine, for a remote host too (its files are uploaded there).
        VmLocation? tree = r.Install.Location is null ? null : VmLocation.Find(r.Name, r.ResolvePath(r.Install.Location), local, os, guest.Arch, r.Pool);
        VmLocationUpload? upload = tree is null || local ? null : VmLocationUpload.Plan(conn, name, tree, r.Pool!);
        VmIsoBoot? isoBoot = tree?.Iso is null || !local ? null : VmIsoBoot.Plan(conn, name, tree, (disk is null ? extraDisks : extraDisks.Prepend(disk)).ToList());
        Guid uuid = Guid.NewGuid();
        System.Security.SecureString? rootPassword = null;
        VmSeedPlan? seed = !VmCloudInitUserData.Wanted(r) ? null : new VmSeedPlan(
            $"{name}-cidata.iso", VmCloudInitUserData.Compose(r, out rootPassword), r.CloudInitMetaData ?? $"instance-id: {uuid}\nlocal-hostname: {name}\n", r.Pool ?? remote?.Pool)
            { NetworkConfig = VmCloudInitUserData.NetworkConfig(r) };

        int? nicQueues = null;
        VmHighPerformance? highPerf = null;
        if (r.HighPerformance && isQemu && r.VCpuCount > 1)
        {
            if (VmHighPerformance.VhostUsable(r.NicCount, domainType, local))
            {
                nicQueues = Math.Min(r.VCpuCount, 8);
            }
            else
            {
                warnings.Add($"'{name}': /dev/vhost-net is missing (modprobe vhost_net), so its NICs keep the default backend without multiqueue.");
            }
        }
        if (r.HighPerformance)
        {
            highPerf = VmHighPerformance.Plan(conn, name, r.VCpuCount, r.MemoryBytes, domainType, isQemu);
            warnings.AddRange(highPerf.Warnings);
        }

        return new VmPlan
        {
            Request = r,
            Connection = conn,
            Local = local,
            Uuid = uuid,
            DomainType = domainType,
            Arch = guest.Arch,
            Machine = machine,
            CpuMode = VmHostChoice.CpuMode(isQemu, domainType, cpuHasVirt),
            IsQemu = isQemu,
            OsId = os?.Id,
            OsShortId = os is null ? null : os.ShortIds.FirstOrDefault(id => string.Equals(id, r.OSVariant, StringComparison.OrdinalIgnoreCase)) ?? os.ShortIds.FirstOrDefault(),
            VirtioDisk = setup.Os.VirtioDisk,
            VirtioNet = setup.Os.VirtioNet,
            Guest = setup,
            Disk = disk,
            ExtraDisks = extraDisks,
            InstallKernel = upload?.Kernel.HostPath ?? isoBoot?.KernelPath ?? tree?.Kernel,
            InstallInitrd = upload is not null ? upload.Initrd?.HostPath : isoBoot is null ? tree?.Initrd : isoBoot.InitrdPath,
            IsoBoot = isoBoot,
            LocationUpload = upload,
            Location = tree,
            HostDevices = hostDevices,
            GeneratedRootPassword = rootPassword,
            IsWindows = os?.Id.Contains("microsoft.com/win", StringComparison.Ordinal) == true,
            Cdrom = upload?.Iso?.HostPath ?? tree?.Iso ?? Host(r.Cdrom),
            Seed = seed,
            Nics = VmGuestPlanner.Nics(conn, r, isQemu, Nics(r), warnings),
            Kernel = Host(r.Kernel),
            Initrd = Host(r.Initrd),
            SerialLogPath = Host(r.SerialLogPath),
            NicQueues = nicQueues,
            HighPerformance = highPerf,
            Warnings = warnings,
        };
    }

    /// <summary>
    /// Makes what the plan says: the disk, the seed ISO, the definition; then autostart and start.
    /// Each thing made is recorded in one undo log; on any failure, cancellation included, all of
    /// it is removed again (newest first) and the exception goes on to the caller.
    /// </summary>
    public static VmProvisionResult Apply(VmPlan plan, Action<VmProgress>? progress, CancellationToken cancel)
    {
        LibvirtConnection conn = plan.Connection;
        VmRequest r = plan.Request;
        void Say(string message) => progress?.Invoke(new VmProgress(VmProgressKind.Verbose, message));
        var undo = new UndoLog();
        var created = new List<string>();
        var disks = new List<VmDiskSpec>();
        DomainHandle? domain = null;
        string xml = "";
        try
        {
            foreach (VmDiskPlan d in plan.AllDisks)
            {
                disks.Add(VmDiskMaker.Make(conn, plan, d, undo, created, Say, cancel));
            }
            string? seedPath = null;
            if (plan.Seed is { } seed)
            {
                string diskDir = Path.GetDirectoryName(disks.First(x => x.Device == "disk").Path)!;
                seedPath = VmStorage.CreateSeed(conn, seed, diskDir, Say, cancel);
                VmDiskMaker.Owned(conn, plan, undo, created, seedPath);
            }
            plan.IsoBoot?.Extract(undo, Say, cancel);
            plan.LocationUpload?.Upload(conn, plan.Location!, undo, Say, cancel);
            cancel.ThrowIfCancellationRequested();

            VmInstallSteps steps = VmInstallPlan.Steps(plan, disks, seedPath);
            xml = steps.FinalXml;
            foreach (string note in plan.HighPerformance?.Notes ?? new List<string>())
            {
                Say(note);
            }
            if (steps.FirstBootXml is string first)
            {
                progress?.Invoke(new VmProgress(VmProgressKind.Debug, "First boot: " + VmXmlOptions.Redact(first)));
            }
            progress?.Invoke(new VmProgress(VmProgressKind.Debug, VmXmlOptions.Redact(xml)));
            domain = VmInstallRun.DefineAndStart(conn, plan, steps, undo, Say);
            cancel.ThrowIfCancellationRequested();
            // Everything is made: from here on a failure (the host going away) must not be reported
            // as if the VM were not there.
            undo.Commit();
            foreach (string message in plan.IsoBoot?.Delete() ?? plan.LocationUpload?.Delete(conn) ?? Enumerable.Empty<string>())
            {
                Say(message);
            }
            if (seedPath is not null && steps.FirstBootXml is not null)
            {
                Say(VmInstallRun.DeleteSeed(conn, seedPath, plan.Local));
            }
            KvmVM? vm = null;
            try
            {
                vm = r.ReadBack ? DomainService.Get(conn, domain) : null;
            }
            catch (LibvirtException)
            {
                progress?.Invoke(new VmProgress(VmProgressKind.Warning, $"VM '{r.Name}' was created{(r.Start ? " and started" : "")}; only reading it back failed."));
                throw;
            }
            return new VmProvisionResult { Name = r.Name, Uuid = plan.Uuid, DomainXml = VmXmlOptions.Redact(xml), CreatedStorage = created, Disks = disks, VM = vm };
        }
        catch
        {
            // Undo first, report after: a report that throws (a stopping pipeline) must not
            // leave half of it behind.
            var (done, failed) = undo.Rollback();
            foreach (string message in done)
            {
                Say(message);
            }
            foreach (string message in failed)
            {
                progress?.Invoke(new VmProgress(VmProgressKind.Warning, message));
            }
            throw;
        }
        finally
        {
            domain?.Dispose();
        }
    }

    // On this machine the files the VM boots from must exist; a remote host's are checked by
    // VmRemoteFiles through its pools.
    private static void CheckFiles(VmRequest r, string? diskPath, bool diskExists)
    {
        foreach (var (param, value) in new[] { ("Cdrom", r.Cdrom), ("Kernel", r.Kernel), ("Initrd", r.Initrd) })
        {
            if (value is not null && !File.Exists(r.ResolvePath(value)))
            {
                throw VmRequestException.Invalid(r.Name, "FileNotFound", $"-{param}: '{value}' does not exist.");
            }
        }
        if (diskPath is not null && !diskExists && r.DiskSizeBytes is null)
        {
            throw VmRequestException.Invalid(r.Name, "DiskNotFound", $"-DiskPath '{diskPath}' does not exist: give -DiskSize to create it, or an existing image.");
        }
        if (r.Import && !diskExists)
        {
            throw VmRequestException.Invalid(r.Name, "DiskNotFound", $"-Import needs an existing disk; '{diskPath}' does not exist.");
        }
    }

    // MAC addresses go to the adapters in order: the networks first, then the bridge.
    private static List<VmNicSpec> Nics(VmRequest r)
    {
        var macs = r.MacAddresses ?? Array.Empty<string>();
        var nics = r.Networks.Select((net, i) => new VmNicSpec { Network = net, MacAddress = i < macs.Count ? macs[i] : null }).ToList();
        if (r.Bridge is not null)
        {
            nics.Add(new VmNicSpec { Bridge = r.Bridge, MacAddress = r.Networks.Count < macs.Count ? macs[r.Networks.Count] : null });
        }
        return nics;
    }
}

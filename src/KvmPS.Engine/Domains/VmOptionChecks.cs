namespace KvmPS.Engine.Domains;

/// <summary>
/// The checks of a request's <see cref="VmInstallOptions"/> that need no host: conflicting
/// install sources, CPU topology and maximums, network and graphics options, the serial port and
/// shares. Each refusal is a <see cref="VmRequestException"/> with a stable id.
/// </summary>
public static class VmOptionChecks
{
    public static readonly IReadOnlyList<string> BootDevices = new[] { "hd", "cdrom", "network", "fd" };

    public static void Check(VmRequest r)
    {
        VmInstallOptions o = r.Install;
        void Refuse(string id, string message) => throw VmRequestException.Invalid(r.Name, id, message);
        int sources = (r.Cdrom is not null ? 1 : 0) + (o.Location is not null ? 1 : 0) + (o.Pxe ? 1 : 0);
        if (sources > 1 || ((o.Location is not null || o.Pxe) && r.Import))
        {
            Refuse("ConflictingInstallSources", "Give one install source: -Cdrom, -Location or -Pxe (-Import boots an existing disk: no -Location or -Pxe with it).");
        }
        if (o.Location is not null && r.Kernel is not null)
        {
            Refuse("ConflictingInstallSources", "-Location boots its install kernel once; -Kernel is a kernel the VM boots always: give one.");
        }
        if (o.Location is not null && !r.Start)
        {
            Refuse("LocationNeedsStart", "-Location boots the install tree's kernel once, at the first boot: give -Start (or -Wait), or -PrintXml to see the XML.");
        }
        if (o.ExtraArgs is not null && o.Location is null)
        {
            Refuse("ExtraArgsWithoutLocation", "-ExtraArgs are the install kernel's arguments: give -Location (for a permanent kernel, -Kernel with -KernelArgs).");
        }
        if (o.WaitTimeout is not null && !o.Wait)
        {
            Refuse("TimeoutWithoutWait", "-WaitTimeout goes with -Wait.");
        }
        if (o.WaitTimeout is TimeSpan t && t <= TimeSpan.Zero)
        {
            Refuse("InvalidTimeout", "-WaitTimeout must be positive.");
        }
        int maxCpus = o.MaxVCpuCount ?? r.VCpuCount;
        if (maxCpus < r.VCpuCount)
        {
            Refuse("MaxVCpuCountTooSmall", $"-MaxVCpuCount {maxCpus} is less than -VCpuCount {r.VCpuCount}.");
        }
        if (o.Sockets is not null || o.Cores is not null || o.Threads is not null)
        {
            int product = (o.Sockets ?? 1) * (o.Cores ?? 1) * (o.Threads ?? 1);
            if (product != maxCpus)
            {
                Refuse("TopologyMismatch", $"{o.Sockets ?? 1} sockets x {o.Cores ?? 1} cores x {o.Threads ?? 1} threads = {product} vCPUs, but the VM has {maxCpus}{(o.MaxVCpuCount is null ? "" : " at most")}; the topology must multiply up to that.");
            }
        }
        if (o.CpuMode == KvmCpuMode.Custom && string.IsNullOrWhiteSpace(o.CpuModel))
        {
            Refuse("ModelRequired", "-CpuMode Custom needs a CPU model: give -CpuModel (e.g. Skylake-Server).");
        }
        if (o.CpuModel is not null && o.CpuMode is not (null or KvmCpuMode.Custom))
        {
            Refuse("ModelNeedsCustomMode", $"-CpuModel names a CPU model for -CpuMode Custom; the mode given is {o.CpuMode}.");
        }
        if (o.MaxMemoryBytes is ulong maxMem && maxMem < r.MemoryBytes)
        {
            Refuse("MaxMemoryTooSmall", $"-MaxMemory {SizeText.Format(maxMem)} is less than -Memory {SizeText.Format(r.MemoryBytes)}.");
        }
        if (o.MaxMemoryBytes is ulong big && GuestLimits.MemoryProblem(r.Name, big) is string tooMuch)
        {
            Refuse("MemoryTooLarge", tooMuch);
        }
        if (o.NoNetwork && (r.Networks.Count > 0 || r.Bridge is not null || o.DirectInterfaces.Count > 0 || r.MacAddresses is { Count: > 0 } || o.NetworkModel is not null))
        {
            Refuse("ConflictingNetworkParameters", "-NoNetwork means no network adapter: give no -Network, -Bridge, -DirectInterface, -MacAddress or -NetworkModel with it.");
        }
        foreach (string dev in o.BootOrder)
        {
            if (!BootDevices.Contains(dev))
            {
                Refuse("InvalidBootDevice", $"'{dev}' is not a boot device: give {string.Join(", ", BootDevices)}.");
            }
        }
        if (o.BootOrder.Count > 0 && r.Kernel is not null)
        {
            Refuse("BootOrderWithKernel", "-BootOrder is the firmware's order; with -Kernel the VM boots that kernel directly.");
        }
        if (o.BootOrder.Distinct().Count() != o.BootOrder.Count)
        {
            Refuse("InvalidBootDevice", "-BootOrder names a device twice.");
        }
        if ((o.GraphicsPort is not null || o.GraphicsPassword is not null || r.GraphicsListen is not null) && r.Graphics == VmGraphics.None)
        {
            Refuse("GraphicsOptionWithoutGraphics", "-GraphicsPort, -GraphicsPassword and -GraphicsListen configure a graphics console, and -Graphics is None.");
        }
        if (o.GraphicsPort is int port && (port < 5900 || port > 65535))
        {
            Refuse("InvalidGraphicsPort", $"-GraphicsPort {port}: VNC and SPICE ports are 5900 to 65535.");
        }
        if (o.GraphicsPort is not null && r.GraphicsListen == "none")
        {
            Refuse("GraphicsPortWithoutListen", "-GraphicsListen none has no port: give one of -GraphicsPort and -GraphicsListen none.");
        }
        if (o.Serial is not null)
        {
            VmSerialText.Parse(r.Name, o.Serial);
        }
        foreach (VmFilesystemSpec fs in o.Filesystems)
        {
            if (!fs.Source.StartsWith('/') || string.IsNullOrWhiteSpace(fs.Tag) || fs.Tag.Length > 36)
            {
                Refuse("InvalidFilesystem", $"-Filesystem '{fs.Source}' -> '{fs.Tag}': the source is an absolute host directory and the tag a name of 1 to 36 characters.");
            }
        }
        if (o.Filesystems.Select(f => f.Tag).Distinct().Count() != o.Filesystems.Count)
        {
            Refuse("InvalidFilesystem", "-Filesystem gives a tag twice: each share needs its own.");
        }
    }
}

using System.Xml.Linq;
using KvmPS.Engine.Host;
using KvmPS.Engine.Tuning;

namespace KvmPS.Engine.Domains;

/// <summary>
/// The HighPerformance profile of a new VM: the host CPU passed through with a one-socket
/// topology and its caches, vCPUs pinned by the planner (Spread: one physical core each, in one
/// NUMA cell where they fit) with the emulator on a CPU of its own, 2 MiB huge pages without a
/// balloon when the host has enough free. (Direct I/O disks and multiqueue vhost NICs are in the
/// VM spec.) What the host cannot give is skipped with a warning rather than making a VM that
/// cannot start.
/// </summary>
public sealed class VmHighPerformance
{
    private const ulong HugePage = 2UL << 20;

    public CpuChange Cpu { get; init; } = new();
    public string? HostVendor { get; init; }

    /// <summary>The vCPU and emulator pins, or null when the host has no room for them.</summary>
    public PinChange? Pins { get; init; }

    /// <summary>Huge pages without a balloon, or null when the host has too few free.</summary>
    public MemoryChange? Memory { get; init; }

    public IReadOnlyCollection<ulong> HostPageSizesKiB { get; init; } = Array.Empty<ulong>();

    /// <summary>What was decided, for the verbose stream.</summary>
    public List<string> Notes { get; init; } = new();

    /// <summary>What the VM does not get, for the warning stream.</summary>
    public List<string> Warnings { get; init; } = new();

    /// <summary>Decides the profile's settings from the host as it is now (reads only).</summary>
    public static VmHighPerformance Plan(LibvirtConnection conn, string name, int vcpus, ulong memoryBytes, string domainType, bool isQemu)
    {
        var host = HostTopology.Read(conn);
        var warnings = new List<string>();
        var notes = new List<string>();
        // host-passthrough is for KVM; under emulation 'maximum' offers every feature QEMU can.
        var cpuMode = domainType == "kvm" ? KvmCpuMode.HostPassthrough : KvmCpuMode.Maximum;
        var cpu = new CpuChange
        {
            Mode = isQemu ? cpuMode : null,
            Sockets = 1,
            Cores = vcpus,
            Threads = 1,
            CachePassthrough = isQemu ? true : null,
        };
        if (domainType != "kvm" && isQemu)
        {
            warnings.Add($"'{name}' runs under QEMU emulation: the HighPerformance profile is applied but cannot make it fast.");
        }

        PinChange? pins = null;
        try
        {
            var plan = PinPlanner.Plan(host, new PinRequest
            {
                VCpuCount = vcpus,
                Strategy = KvmPinStrategy.Spread,
                Taken = TuningService.TakenByOtherVMs(conn, name),
            });
            warnings.AddRange(plan.Warnings.Select(w => $"'{name}': {w}"));
            pins = new PinChange
            {
                ReplaceVCpus = true,
                VCpus = plan.VCpuHostCpu.Select((hostCpu, v) => (v, hostCpu)).ToDictionary(x => x.v, x => new[] { x.hostCpu }),
                Emulator = plan.EmulatorCpus.Length > 0 ? plan.EmulatorCpus : null,
            };
            notes.Add($"Pinned vCPUs of '{name}' to host CPUs {string.Join(",", plan.VCpuHostCpu)}; emulator on {CpuSet.Format(plan.EmulatorCpus)}.");
        }
        catch (TuningException e)
        {
            warnings.Add($"'{name}' is not pinned: {e.Message}");
        }

        MemoryChange? memory = null;
        var supply = MemoryXml.HugePageSupply(HostInfoReader.Read(conn), HugePage, memoryBytes, null);
        if (isQemu && memoryBytes % HugePage != 0)
        {
            warnings.Add($"'{name}' uses ordinary pages: its memory is not a whole number of 2 MiB huge pages.");
        }
        else if (isQemu && supply is { } s && s.Free >= s.Needed)
        {
            memory = new MemoryChange { HugePageBytes = HugePage, NoBalloon = true };
            notes.Add($"'{name}' is backed by 2 MiB huge pages ({s.Needed} of {s.Free} free).");
        }
        else if (isQemu)
        {
            string have = supply is { } t ? $"{t.Free} free, {t.Needed} needed" : "the host reports none";
            warnings.Add($"'{name}' uses ordinary pages: not enough free 2 MiB huge pages ({have}). Reserve them (Repair-KvmHost -Check HugePages -HugePageCount N) and use Set-KvmMemory -HugePageSize 2MB.");
        }
        return new VmHighPerformance
        {
            Cpu = cpu,
            HostVendor = host.Vendor,
            Pins = pins,
            Memory = memory,
            HostPageSizesKiB = host.PageSizesKiB,
            Notes = notes,
            Warnings = warnings,
        };
    }

    /// <summary>Writes the settings into a domain definition built by <see cref="DomainXmlBuilder"/>.</summary>
    public void ApplyTo(XElement domain)
    {
        CpuXml.Apply(domain, Cpu, HostVendor);
        if (Pins is not null)
        {
            CpuTuneXml.Apply(domain, Pins);
        }
        if (Memory is not null)
        {
            MemoryXml.Apply(domain, Memory, HostPageSizesKiB);
        }
    }

    /// <summary>
    /// Whether a KVM guest here can have the vhost-net backend: QEMU refuses to start one when
    /// /dev/vhost-net is missing. Only a local host can be checked; a remote one is trusted.
    /// </summary>
    public static bool VhostUsable(int nics, string domainType, bool local, Func<string, bool>? exists = null) =>
        nics == 0 || domainType != "kvm" || !local || (exists ?? File.Exists)("/dev/vhost-net");
}

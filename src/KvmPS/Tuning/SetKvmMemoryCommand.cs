using System.Management.Automation;
using System.Xml.Linq;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Host;
using KvmPS.Engine.HostChecks;
using KvmPS.Engine.Native;
using KvmPS.Engine.Storage;
using KvmPS.Engine.Tuning;

namespace KvmPS.Commands;

/// <summary>Sets a VM's memory size and backing: huge pages, locked memory, the balloon.</summary>
[Cmdlet(VerbsCommon.Set, "KvmMemory", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVM))]
public sealed class SetKvmMemoryCommand : KvmTuningCmdlet
{
    /// <summary>Memory in bytes (maximum; also the current size unless -CurrentMemory is given), e.g. 4GB.</summary>
    [Parameter]
    [Alias("MemoryStartupBytes")]
    [ValidateSize(Memory = true)]
    public ulong Memory { get; set; }

    /// <summary>Current (balloon) memory in bytes, at most -Memory; changed live on a running VM.</summary>
    [Parameter]
    [ValidateSize(Memory = true)]
    public ulong CurrentMemory { get; set; }

    /// <summary>Huge page size backing the memory: 2MB or 1GB (one the host offers); 0 returns to ordinary pages.</summary>
    [Parameter]
    public ulong HugePageSize { get; set; }

    /// <summary>Locks the memory in host RAM (never swapped); -Locked:$false unlocks it.</summary>
    [Parameter]
    public SwitchParameter Locked { get; set; }

    /// <summary>Removes the memory balloon (model none); -NoBalloon:$false gives the VM a virtio balloon again.</summary>
    [Parameter]
    public SwitchParameter NoBalloon { get; set; }

    /// <summary>Backs the memory with memfd, so huge pages need no hugetlbfs mount on the host; -Memfd:$false removes it.</summary>
    [Parameter]
    public SwitchParameter Memfd { get; set; }

    /// <summary>Returns the VM after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessTuning(LibvirtConnection conn, DomainHandle h, string name)
    {
        var change = new MemoryChange
        {
            MemoryBytes = IsBound(nameof(Memory)) ? Memory : null,
            CurrentMemoryBytes = IsBound(nameof(CurrentMemory)) ? CurrentMemory : null,
            HugePageBytes = IsBound(nameof(HugePageSize)) ? HugePageSize : null,
            Locked = IsBound(nameof(Locked)) ? Locked.IsPresent : null,
            NoBalloon = IsBound(nameof(NoBalloon)) ? NoBalloon.IsPresent : null,
            Memfd = IsBound(nameof(Memfd)) ? Memfd.IsPresent : null,
        };
        if (GuestLimits.MemoryProblem(name, Math.Max(change.MemoryBytes ?? 0, change.CurrentMemoryBytes ?? 0)) is string tooMuch)
        {
            WriteError(ErrorHelper.InvalidArgument(tooMuch, "MemoryTooLarge", name));
            return;
        }
        bool any = change.MemoryBytes is not null || change.CurrentMemoryBytes is not null || change.HugePageBytes is not null
            || change.Locked is not null || change.NoBalloon is not null || change.Memfd is not null;
        if (any)
        {
            var pages = HostTopology.Read(conn).PageSizesKiB;
            bool active = DomainService.IsActive(h);
            ulong liveMax = active ? NumaXml.MemoryKiB(SafeXml.Parse(LibvirtConnection.GetXml(h))) * 1024 : 0;
            if (!EditConfig(conn, h, name, Describe(change), d => MemoryXml.Apply(d, change, pages)))
            {
                return;
            }
            XElement config = SafeXml.Parse(DomainService.GetInactiveXml(h));
            if (NumaXml.HugePageKiB(config) is ulong pageKiB && (change.HugePageBytes is not null || change.MemoryBytes is not null))
            {
                WarnIfFewHugePages(conn, config, name, pageKiB * 1024);
                WarnIfNoHugeTlbMount(conn, config, name, pageKiB);
            }
            if (active)
            {
                ApplyLive(h, name, change, liveMax);
            }
        }
        if (PassThru)
        {
            WriteVM(conn, h);
        }
    }

    private void ApplyLive(DomainHandle h, string name, MemoryChange change, ulong liveMax)
    {
        // Only the balloon target changes while the VM runs; everything else waits for its next start.
        ulong? current = change.CurrentMemoryBytes ?? change.MemoryBytes;
        bool later = change.HugePageBytes is not null || change.Locked is not null || change.NoBalloon is not null || change.Memfd is not null
            || (change.MemoryBytes is ulong m && m != liveMax);
        if (current is ulong cur)
        {
            if (cur <= liveMax)
            {
                try
                {
                    DomainService.SetMemory(h, cur / 1024, live: true, config: false, maximum: false);
                }
                catch (LibvirtException e) when (e.Kind is KvmErrorKind.NotSupported or KvmErrorKind.InvalidOperation or KvmErrorKind.InvalidArgument)
                {
                    WriteWarning($"VM '{name}' could not change its memory while running ({e.LibvirtMessage}); the new size takes effect at its next start.");
                }
            }
            else
            {
                later = true;
            }
        }
        if (later)
        {
            WarnNextStart(h, name, "the memory change");
        }
    }

    private void WarnIfFewHugePages(LibvirtConnection conn, XElement config, string name, ulong pageBytes)
    {
        KvmHost host = HostInfoReader.Read(conn);
        // Memory bound strictly to some host nodes can only use those nodes' pages.
        XElement? bind = config.Element("numatune")?.Element("memory");
        int[]? nodes = (string?)bind?.Attribute("mode") is null or "strict" && (string?)bind?.Attribute("nodeset") is string ns ? CpuSet.Parse(ns) : null;
        ulong memory = NumaXml.MemoryKiB(config) * 1024;
        if (MemoryXml.HugePageSupply(host, pageBytes, memory, nodes) is { } supply && supply.Free < supply.Needed)
        {
            var (free, needed) = supply;
            string where = nodes is null ? "" : $" on node(s) {CpuSet.Format(nodes)}";
            ulong kb = pageBytes / 1024;
            WriteWarning($"VM '{name}' needs {needed} huge pages of {MemoryXml.FormatKiB(kb)} but the host has {free} free{where}: it cannot start until {needed - free} more are reserved " +
                $"(e.g. echo <total> > /sys/kernel/mm/hugepages/hugepages-{kb}kB/nr_hugepages, or hugepages={needed} on the kernel command line).");
        }
    }

    /// <summary>
    /// QEMU takes file-backed huge pages from a hugetlbfs mount that libvirtd found when it started.
    /// Only a local host's mounts can be seen from here.
    /// </summary>
    private void WarnIfNoHugeTlbMount(LibvirtConnection conn, XElement config, string name, ulong pageKiB)
    {
        string? source = (string?)config.Element("memoryBacking")?.Element("source")?.Attribute("type");
        if (source == "memfd" || !conn.IsLocal || !conn.GetHypervisorType().Equals("QEMU", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        var fs = HostFileSystem.FromEnvironment();
        string? mounts = fs.ReadText("/proc/mounts");
        if (mounts is null)
        {
            return;
        }
        var mounted = MemoryXml.HugeTlbMountSizesKiB(mounts, MemoryXml.DefaultHugePageKiB(fs.ReadText("/proc/meminfo") ?? ""));
        if (!mounted.Contains(pageKiB))
        {
            WriteWarning($"VM '{name}': no hugetlbfs of {MemoryXml.FormatKiB(pageKiB)} pages is mounted on this host, so QEMU cannot take its pages from one. " +
                "Add -Memfd (no mount needed), or mount one (mount -t hugetlbfs -o pagesize=" + (pageKiB >= 1048576 ? $"{pageKiB / 1048576}G" : $"{pageKiB / 1024}M") + " hugetlbfs /dev/hugepages) and restart libvirtd.");
        }
    }

    private static string Describe(MemoryChange c)
    {
        var parts = new List<string>();
        if (c.MemoryBytes is ulong m)
        {
            parts.Add($"memory {SizeText.Format(m)}");
        }
        if (c.CurrentMemoryBytes is ulong cur)
        {
            parts.Add($"current memory {SizeText.Format(cur)}");
        }
        if (c.HugePageBytes is ulong hp)
        {
            parts.Add(hp == 0 ? "ordinary pages" : $"{MemoryXml.FormatKiB(hp / 1024)} huge pages");
        }
        if (c.Locked is bool l)
        {
            parts.Add(l ? "locked memory" : "unlocked memory");
        }
        if (c.NoBalloon is bool nb)
        {
            parts.Add(nb ? "no balloon" : "virtio balloon");
        }
        if (c.Memfd is bool mf)
        {
            parts.Add(mf ? "memfd memory source" : "default memory source");
        }
        return "Set " + string.Join(", ", parts);
    }
}

using System.Globalization;
using System.Xml.Linq;
using KvmPS.Engine.Host;

namespace KvmPS.Engine.Tuning;

/// <summary>Reads and edits memory sizes, &lt;memoryBacking&gt; and the balloon. Pure.</summary>
public static class MemoryXml
{
    /// <summary>
    /// Applies the change (in place). <paramref name="hostPageSizesKiB"/> are the page sizes the host
    /// CPU supports; the smallest is the base page, the others are huge pages.
    /// </summary>
    public static void Apply(XElement domain, MemoryChange change, IReadOnlyCollection<ulong> hostPageSizesKiB)
    {
        ulong oldMax = NumaXml.MemoryKiB(domain);
        ulong oldCur = domain.Element("currentMemory") is XElement cm ? HostInfoReader.ToKiB(cm.Value, (string?)cm.Attribute("unit")) : oldMax;

        // 1. Validate.
        foreach (var (name, v) in new[] { ("-Memory", change.MemoryBytes), ("-CurrentMemory", change.CurrentMemoryBytes) })
        {
            if (v is ulong b && (b == 0 || b % 1024 != 0))
            {
                throw TuningException.Invalid("InvalidMemorySize", $"{name} must be a positive whole number of KiB.");
            }
        }
        ulong max = change.MemoryBytes / 1024 ?? oldMax;
        ulong cur = change.CurrentMemoryBytes / 1024 ?? (change.MemoryBytes is not null ? max : Math.Min(oldCur, max));
        if (cur > max)
        {
            throw TuningException.Invalid("CurrentMemoryExceedsMemory", $"-CurrentMemory ({SizeText.Format(cur * 1024)}) cannot exceed the memory ({SizeText.Format(max * 1024)}).");
        }
        var cells = (domain.Element("cpu")?.Element("numa")?.Elements("cell") ?? Enumerable.Empty<XElement>())
            .Select(c => HostInfoReader.ToKiB((string?)c.Attribute("memory"), (string?)c.Attribute("unit"))).ToList();
        // libvirt's <memory> counts memory devices (DIMMs, NVDIMMs, virtio-mem) on top of the cells.
        ulong devicesKiB = MemoryDevicesKiB(domain);
        if (change.MemoryBytes is not null && cells.Count > 0 && cells.Aggregate(0UL, (a, b) => a + b) + devicesKiB != max)
        {
            string plus = devicesKiB == 0 ? "" : $" plus {SizeText.Format(devicesKiB * 1024)} of memory devices";
            throw TuningException.Invalid("MemoryDoesNotMatchNumaCells",
                $"The VM's guest NUMA cells hold {SizeText.Format(cells.Aggregate(0UL, (a, b) => a + b) * 1024)}{plus}; change the memory with Set-KvmNuma -Cell ... -SetMemory.");
        }
        ulong? oldPageKiB = NumaXml.HugePageKiB(domain);
        ulong? pageKiB = oldPageKiB;
        if (change.HugePageBytes is ulong hp)
        {
            if (hp == 0)
            {
                pageKiB = null;
            }
            else
            {
                var huge = HugePageSize.HugeSizesKiB(hostPageSizesKiB);
                if (!HugePageSize.TryBytesToKiB(hp, out ulong hpKiB) || !huge.Contains(hpKiB))
                {
                    string offered = huge.Count == 0 ? "none" : string.Join(", ", huge.Select(FormatKiB));
                    throw TuningException.Invalid("UnknownHugePageSize",
                        $"{FormatKiB(hp / 1024)} is not a huge page size of this host (it offers {offered}).");
                }
                pageKiB = hpKiB;
            }
        }
        // Only a new size or a new page size is checked: libvirt accepted what the VM has, and a
        // same-value request must not be refused for it.
        if (pageKiB is ulong p && (pageKiB != oldPageKiB || (change.MemoryBytes is not null && max != oldMax)))
        {
            if (max % p != 0)
            {
                throw TuningException.Invalid("MemoryNotPageAligned", $"The memory ({max} KiB) is not a whole number of {FormatKiB(p)} pages.");
            }
            int bad = cells.FindIndex(c => c % p != 0);
            if (bad >= 0)
            {
                throw TuningException.Invalid("MemoryNotPageAligned", $"Guest NUMA cell {bad} ({cells[bad]} KiB) is not a whole number of {FormatKiB(p)} pages.");
            }
        }

        // 2. Edit.
        if (change.MemoryBytes is not null)
        {
            NumaXml.SetKiB(domain, "memory", max);
        }
        if (change.MemoryBytes is not null || change.CurrentMemoryBytes is not null)
        {
            NumaXml.SetKiB(domain, "currentMemory", cur);
        }
        if (change.HugePageBytes is not null || change.Locked is not null || change.Memfd is not null)
        {
            XElement backing = domain.Element("memoryBacking") ?? AddBacking(domain);
            // Asking for the size every page already has changes nothing (node sets stay).
            bool samePages = pageKiB is ulong want && HugePages(domain) is { Length: > 0 } have && have.All(x => x.PageSizeBytes == want * 1024);
            if (change.HugePageBytes is not null && !samePages)
            {
                backing.Element("hugepages")?.Remove();
                if (pageKiB is ulong size)
                {
                    backing.AddFirst(new XElement("hugepages", new XElement("page",
                        new XAttribute("size", size.ToString(CultureInfo.InvariantCulture)), new XAttribute("unit", "KiB"))));
                }
            }
            if (change.Locked is bool locked)
            {
                backing.Element("locked")?.Remove();
                if (locked)
                {
                    // libvirt's order: hugepages, nosharepages, locked, source, access, allocation, discard.
                    XElement? after = backing.Element("nosharepages") ?? backing.Element("hugepages");
                    if (after is not null)
                    {
                        after.AddAfterSelf(new XElement("locked"));
                    }
                    else
                    {
                        backing.AddFirst(new XElement("locked"));
                    }
                }
            }
            if (change.Memfd is bool memfd)
            {
                backing.Element("source")?.Remove();
                if (memfd)
                {
                    XElement? after = backing.Element("locked") ?? backing.Element("nosharepages") ?? backing.Element("hugepages");
                    if (after is not null)
                    {
                        after.AddAfterSelf(new XElement("source", new XAttribute("type", "memfd")));
                    }
                    else
                    {
                        backing.AddFirst(new XElement("source", new XAttribute("type", "memfd")));
                    }
                }
            }
            if (!backing.HasElements && !backing.HasAttributes)
            {
                backing.Remove();
            }
        }
        if (change.NoBalloon is bool none)
        {
            XElement devices = domain.Element("devices") ?? new XElement("devices");
            if (devices.Parent is null)
            {
                domain.Add(devices);
            }
            XElement? balloon = devices.Element("memballoon");
            string? model = (string?)balloon?.Attribute("model");
            if (none && model != "none")
            {
                balloon?.Remove();
                devices.Add(new XElement("memballoon", new XAttribute("model", "none")));
            }
            else if (!none && (balloon is null || model == "none"))
            {
                balloon?.Remove();
                devices.Add(new XElement("memballoon", new XAttribute("model", "virtio")));
            }
        }
    }

    /// <summary>The definition's memory and current memory in KiB.</summary>
    public static (ulong Memory, ulong Current) SizesKiB(XElement domain)
    {
        ulong max = NumaXml.MemoryKiB(domain);
        return (max, domain.Element("currentMemory") is XElement c ? HostInfoReader.ToKiB(c.Value, (string?)c.Attribute("unit")) : max);
    }

    /// <summary>The &lt;page&gt; entries of the huge-page backing (one of the default size for a bare &lt;hugepages/&gt;).</summary>
    public static KvmMemoryPages[] HugePages(XElement domain)
    {
        XElement? hp = domain.Element("memoryBacking")?.Element("hugepages");
        if (hp is null)
        {
            return Array.Empty<KvmMemoryPages>();
        }
        var pages = hp.Elements("page").Select(p => new KvmMemoryPages
        {
            PageSizeBytes = HostInfoReader.ToKiB((string?)p.Attribute("size"), (string?)p.Attribute("unit")) * 1024,
            NodeSet = (string?)p.Attribute("nodeset"),
        }).ToArray();
        return pages.Length > 0 ? pages : new[] { new KvmMemoryPages { PageSizeBytes = HugePageSize.AssumedDefaultKiB * 1024 } };
    }

    /// <summary>The size of the VM's memory devices (&lt;memory model='dimm'&gt; and the like) in KiB.</summary>
    public static ulong MemoryDevicesKiB(XElement domain) =>
        (domain.Element("devices")?.Elements("memory") ?? Enumerable.Empty<XElement>())
            .Select(m => m.Element("target")?.Element("size"))
            .OfType<XElement>()
            .Aggregate(0UL, (a, size) => a + HostInfoReader.ToKiB(size.Value, (string?)size.Attribute("unit")));

    private static XElement AddBacking(XElement domain)
    {
        var backing = new XElement("memoryBacking");
        (domain.Element("currentMemory") ?? domain.Element("memory"))?.AddAfterSelf(backing);
        if (backing.Parent is null)
        {
            domain.Add(backing);
        }
        return backing;
    }

    public static string FormatKiB(ulong kib) =>
        kib >= 1048576 && kib % 1048576 == 0 ? $"{kib / 1048576} GiB"
        : kib >= 1024 && kib % 1024 == 0 ? $"{kib / 1024} MiB"
        : $"{kib} KiB";

    public static KvmMemory Read(XElement domain, string vmName, string uri, bool fromConfig)
    {
        ulong max = NumaXml.MemoryKiB(domain);
        XElement? cur = domain.Element("currentMemory");
        return new KvmMemory
        {
            VMName = vmName,
            MemoryBytes = max * 1024,
            CurrentMemoryBytes = (cur is null ? max : HostInfoReader.ToKiB(cur.Value, (string?)cur.Attribute("unit"))) * 1024,
            HugePageSizeBytes = NumaXml.HugePageKiB(domain) * 1024,
            HugePageSizes = HugePages(domain),
            Locked = domain.Element("memoryBacking")?.Element("locked") is not null,
            Source = (string?)domain.Element("memoryBacking")?.Element("source")?.Attribute("type"),
            BalloonModel = (string?)domain.Element("devices")?.Element("memballoon")?.Attribute("model"),
            FromConfig = fromConfig,
            Uri = uri,
        };
    }

    /// <summary>
    /// Page sizes (KiB) that have a hugetlbfs mount, from the text of /proc/mounts. A mount without
    /// a pagesize option serves the default huge page size.
    /// </summary>
    public static HashSet<ulong> HugeTlbMountSizesKiB(string procMounts, ulong defaultKiB)
    {
        var sizes = new HashSet<ulong>();
        foreach (string line in procMounts.Split('\n'))
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 4 || f[2] != "hugetlbfs")
            {
                continue;
            }
            string? opt = f[3].Split(',').FirstOrDefault(o => o.StartsWith("pagesize=", StringComparison.Ordinal));
            if (opt is null)
            {
                sizes.Add(defaultKiB);
                continue;
            }
            if (HugePageSize.TryParseKiB(opt["pagesize=".Length..], out ulong kib))
            {
                sizes.Add(kib);
            }
        }
        return sizes;
    }

    /// <summary>The default huge page size in KiB from the text of /proc/meminfo (2048 when absent).</summary>
    public static ulong DefaultHugePageKiB(string procMeminfo) =>
        HugePageSize.DefaultKiB(HugePageSize.ReadDefaultKiB(procMeminfo), Array.Empty<ulong>());

    /// <summary>
    /// How many huge pages of a size the host has free, over the given nodes (all when null),
    /// against how many the memory needs. Null when the host does not report free pages.
    /// </summary>
    public static (ulong Free, ulong Needed)? HugePageSupply(KvmHost host, ulong pageBytes, ulong memoryBytes, IReadOnlyCollection<int>? nodes)
    {
        var pages = host.NumaCells
            .Where(c => nodes is null || nodes.Contains(c.Id))
            .SelectMany(c => c.Pages)
            .Where(p => p.PageSizeBytes == pageBytes)
            .ToList();
        if (pages.Count == 0 || pages.Any(p => p.Free is null))
        {
            return null;
        }
        ulong free = pages.Aggregate(0UL, (a, p) => a + p.Free!.Value);
        ulong needed = (memoryBytes + pageBytes - 1) / pageBytes;
        return (free, needed);
    }
}

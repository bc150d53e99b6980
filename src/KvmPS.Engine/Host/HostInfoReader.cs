using System.Globalization;
using System.Xml.Linq;

namespace KvmPS.Engine.Host;

/// <summary>Reads host facts from libvirt: capabilities XML plus node info and free memory/pages.</summary>
public static class HostInfoReader
{
    /// <summary>Parses libvirt's capabilities XML (pure: no libvirt call).</summary>
    public static CapabilitiesInfo ParseCapabilities(string xml)
    {
        XElement root = SafeXml.Parse(xml);
        XElement? host = root.Element("host");
        XElement? cpu = host?.Element("cpu");
        string arch = (string?)cpu?.Element("arch") ?? "";
        XElement? topo = cpu?.Element("topology");

        var cells = new List<CapabilitiesInfo.CellInfo>();
        foreach (XElement cell in host?.Element("topology")?.Element("cells")?.Elements("cell") ?? Enumerable.Empty<XElement>())
        {
            int cellId = Int(cell, "id") ?? cells.Count;
            var cpus = new List<KvmHostCpu>();
            foreach (XElement c in cell.Element("cpus")?.Elements("cpu") ?? Enumerable.Empty<XElement>())
            {
                int id = Int(c, "id") ?? 0;
                cpus.Add(new KvmHostCpu
                {
                    Id = id,
                    CellId = cellId,
                    SocketId = Int(c, "socket_id") ?? 0,
                    DieId = Int(c, "die_id") ?? 0,
                    CoreId = Int(c, "core_id") ?? id,
                    Siblings = (string?)c.Attribute("siblings") ?? id.ToString(CultureInfo.InvariantCulture),
                });
            }
            cells.Add(new CapabilitiesInfo.CellInfo
            {
                Id = cellId,
                MemoryKiB = ToKiB(cell.Element("memory")),
                Cpus = cpus,
                Pages = cell.Elements("pages")
                    .Select(p => (ToKiB(p.Attribute("size")?.Value, (string?)p.Attribute("unit")), ULong(p.Value) ?? 0UL))
                    .ToList(),
            });
        }

        // Domain types offered for the host's own architecture (kvm means hardware acceleration).
        var domainTypes = root.Elements("guest")
            .Where(g => (string?)g.Element("os_type") == "hvm" || !g.Elements("os_type").Any())
            .SelectMany(g => g.Elements("arch"))
            .Where(a => arch.Length == 0 || (string?)a.Attribute("name") == arch)
            .SelectMany(a => a.Elements("domain"))
            .Select(d => (string?)d.Attribute("type"))
            .OfType<string>()
            .Distinct()
            .ToArray();

        string? iommu = (string?)host?.Element("iommu")?.Attribute("support");
        return new CapabilitiesInfo
        {
            Architecture = arch,
            CpuModel = (string?)cpu?.Element("model"),
            CpuVendor = (string?)cpu?.Element("vendor"),
            Sockets = Int(topo, "sockets"),
            Cores = Int(topo, "cores"),
            Threads = Int(topo, "threads"),
            Iommu = iommu is null ? null : iommu == "yes",
            PageSizesKiB = cpu?.Elements("pages").Select(p => ToKiB(p.Attribute("size")?.Value, (string?)p.Attribute("unit"))).ToArray() ?? Array.Empty<ulong>(),
            DomainTypes = domainTypes,
            Cells = cells,
        };
    }

    /// <summary>Reads the whole host description through an open connection.</summary>
    public static KvmHost Read(LibvirtConnection conn)
    {
        string capsXml = conn.GetCapabilitiesXml();
        CapabilitiesInfo caps = ParseCapabilities(capsXml);
        var node = conn.GetNodeInfo();
        string nodeModel;
        unsafe
        {
            nodeModel = System.Text.Encoding.ASCII.GetString(new ReadOnlySpan<byte>(node.Model, 32)).TrimEnd('\0');
        }

        var allCpus = caps.Cells.SelectMany(c => c.Cpus).ToList();
        int sockets, cores, threads;
        if (allCpus.Count > 0)
        {
            // The NUMA topology is the most exact source: count distinct sockets, cores per socket
            // and the largest SMT sibling group.
            sockets = allCpus.Select(c => c.SocketId).Distinct().Count();
            cores = allCpus.GroupBy(c => c.SocketId).Max(g => g.Select(c => (c.DieId, c.CoreId)).Distinct().Count());
            threads = allCpus.Max(c => SafeCount(c.Siblings));
        }
        else
        {
            sockets = caps.Sockets ?? (int)(node.Sockets * Math.Max(node.Nodes, 1));
            cores = caps.Cores ?? (int)node.Cores;
            threads = caps.Threads ?? (int)node.Threads;
        }

        int cellCount = caps.Cells.Count;
        ulong[]? cellFree = conn.GetCellsFreeMemory(cellCount);
        uint[] sizes = caps.Cells.SelectMany(c => c.Pages.Select(p => (uint)p.SizeKiB)).Distinct().OrderBy(s => s).ToArray();
        ulong[][]? freePages = conn.GetFreePages(sizes, cellCount);

        var cells = caps.Cells.Select((c, index) => new KvmNumaCell
        {
            Id = c.Id,
            MemoryBytes = c.MemoryKiB * 1024,
            FreeMemoryBytes = cellFree is not null && index < cellFree.Length ? cellFree[index] : null,
            Cpus = CpuSet.Format(c.Cpus.Select(x => x.Id)),
            CpuList = c.Cpus.ToArray(),
            Pages = c.Pages.Select(p => new KvmHugePages
            {
                CellId = c.Id,
                PageSizeBytes = p.SizeKiB * 1024,
                Total = p.Count,
                Free = freePages is not null && index < freePages.Length
                    ? freePages[index][Array.IndexOf(sizes, (uint)p.SizeKiB)]
                    : null,
            }).ToArray(),
            Uri = conn.Uri,
        }).ToArray();

        return new KvmHost
        {
            Hostname = conn.GetHostname(),
            CpuModel = caps.CpuModel ?? nodeModel,
            CpuVendor = caps.CpuVendor,
            Architecture = caps.Architecture.Length > 0 ? caps.Architecture : nodeModel,
            CpuCount = (int)node.Cpus,
            Sockets = sockets,
            CoresPerSocket = cores,
            ThreadsPerCore = threads,
            CpuMhz = (int)node.Mhz,
            NumaNodeCount = cellCount > 0 ? cellCount : (int)Math.Max(node.Nodes, 1),
            MemoryBytes = node.MemoryKiB * 1024,
            FreeMemoryBytes = conn.GetFreeMemory() ?? cellFree?.Aggregate(0UL, (a, b) => a + b) ?? 0,
            HypervisorType = conn.GetHypervisorType(),
            HypervisorVersion = conn.GetHypervisorVersion(),
            LibvirtVersion = conn.GetLibvirtVersion(),
            KvmSupported = caps.DomainTypes.Contains("kvm"),
            KvmUsable = caps.DomainTypes.Contains("kvm")
                && KvmPS.Engine.Domains.GuestCapabilities.CpuRunsKvmGuests(KvmPS.Engine.Domains.GuestCapabilities.HostCpuFeatures(capsXml)),
            DomainTypes = caps.DomainTypes,
            IommuSupported = caps.Iommu,
            PageSizesBytes = caps.PageSizesKiB.Select(k => k * 1024).ToArray(),
            NumaCells = cells,
            Uri = conn.Uri,
        };
    }

    private static int SafeCount(string cpuset)
    {
        try
        {
            return CpuSet.Parse(cpuset).Length;
        }
        catch (FormatException)
        {
            return 1;
        }
    }

    private static int? Int(XElement? e, string attr) =>
        int.TryParse((string?)e?.Attribute(attr), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : null;

    private static ulong? ULong(string? s) =>
        ulong.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong v) ? v : null;

    private static ulong ToKiB(XElement? e) => e is null ? 0 : ToKiB(e.Value, (string?)e.Attribute("unit"));

    /// <summary>Converts a libvirt size with unit (b, KiB, MiB, GiB, ...; default KiB) to KiB.</summary>
    internal static ulong ToKiB(string? value, string? unit)
    {
        ulong v = ULong(value?.Trim()) ?? 0;
        return (unit ?? "KiB").ToLowerInvariant() switch
        {
            "b" or "bytes" => v / 1024,
            "k" or "kib" => v,
            "kb" => v * 1000 / 1024,
            "m" or "mib" => v * 1024,
            "mb" => v * 1_000_000 / 1024,
            "g" or "gib" => v * 1024 * 1024,
            "gb" => v * 1_000_000_000 / 1024,
            "t" or "tib" => v * 1024 * 1024 * 1024,
            _ => v,
        };
    }
}

using System.Globalization;
using System.Xml.Linq;
using KvmPS.Engine.Host;

namespace KvmPS.Engine.Tuning;

/// <summary>Reads and edits guest NUMA cells (&lt;cpu&gt;&lt;numa&gt;) and &lt;numatune&gt;. Pure.</summary>
public static class NumaXml
{
    public static string ModeName(KvmNumaMemoryMode m) => m.ToString().ToLowerInvariant();

    public static KvmNumaMemoryMode? ParseMode(string? s) => s switch
    {
        "strict" => KvmNumaMemoryMode.Strict,
        "preferred" => KvmNumaMemoryMode.Preferred,
        "interleave" => KvmNumaMemoryMode.Interleave,
        "restrictive" => KvmNumaMemoryMode.Restrictive,
        _ => null,
    };

    /// <summary>Memory of the VM in KiB (&lt;memory&gt;).</summary>
    public static ulong MemoryKiB(XElement domain) =>
        domain.Element("memory") is XElement m ? HostInfoReader.ToKiB(m.Value, (string?)m.Attribute("unit")) : 0;

    /// <summary>Huge page size backing the VM in KiB, or null.</summary>
    public static ulong? HugePageKiB(XElement domain)
    {
        XElement? hp = domain.Element("memoryBacking")?.Element("hugepages");
        if (hp is null)
        {
            return null;
        }
        XElement? page = hp.Element("page");
        // <hugepages/> without a page means the host's default huge page size; 2 MiB on x86.
        return page is null ? HugePageSize.AssumedDefaultKiB : HostInfoReader.ToKiB((string?)page.Attribute("size"), (string?)page.Attribute("unit"));
    }

    public static void Apply(XElement domain, NumaChange change, IReadOnlySet<int> hostNodes)
    {
        int vcpus = CpuXml.MaxVCpus(domain);
        // The cells share the memory that is not in memory devices (DIMMs), which <memory> also counts.
        ulong devicesKiB = MemoryXml.MemoryDevicesKiB(domain);
        ulong memKiB = MemoryKiB(domain) is ulong total && total > devicesKiB ? total - devicesKiB : 0;
        ulong alignKiB = HugePageKiB(domain) ?? 1024;
        var cells = new List<(int[] Cpus, ulong KiB, NumaCellSpec Spec)>();

        // 1. Validate.
        int[]? nodes = change.HostNode is null ? null : ParseNodes(change.HostNode, "-HostNode", hostNodes);
        if (change.Cells is { } specs)
        {
            if (specs.Count == 0)
            {
                throw TuningException.Invalid("NoNumaCells", "-Cell needs at least one cell (use -Clear to remove the guest NUMA layout).");
            }
            var seen = new Dictionary<int, int>();
            for (int i = 0; i < specs.Count; i++)
            {
                int[] cpus;
                try
                {
                    cpus = CpuSet.Parse(specs[i].Cpus);
                }
                catch (FormatException e)
                {
                    throw TuningException.Invalid("InvalidCpuSet", $"Cell {i}: {e.Message}");
                }
                foreach (int c in cpus)
                {
                    if (c >= vcpus)
                    {
                        throw TuningException.Invalid("VCpuOutOfRange", $"Cell {i} names vCPU {c}, but the VM has vCPUs 0-{vcpus - 1}.");
                    }
                    if (seen.TryGetValue(c, out int other))
                    {
                        throw TuningException.Invalid("NumaCellsOverlap", $"vCPU {c} is in cell {other} and in cell {i}; every vCPU belongs to exactly one cell.");
                    }
                    seen[c] = i;
                }
                if (specs[i].HostNode is string hn)
                {
                    ParseNodes(hn, $"Cell {i} HostNode", hostNodes);
                }
                cells.Add((cpus, 0, specs[i]));
            }
            var missing = Enumerable.Range(0, vcpus).Where(v => !seen.ContainsKey(v)).ToList();
            if (missing.Count > 0)
            {
                throw TuningException.Invalid("NumaCellsIncomplete", $"vCPU(s) {CpuSet.Format(missing)} are in no cell; the cells must cover vCPUs 0-{vcpus - 1} exactly once.");
            }
            int withMemory = specs.Count(s => s.MemoryBytes is not null);
            if (withMemory != 0 && withMemory != specs.Count)
            {
                throw TuningException.Invalid("NumaCellMemoryPartial", "Give Memory for every cell, or for none (the VM's memory is then shared evenly).");
            }
            if (withMemory == 0)
            {
                // Even shares in whole pages; the last cell takes what rounding leaves.
                ulong share = memKiB / (ulong)specs.Count / alignKiB * alignKiB;
                for (int i = 0; i < cells.Count; i++)
                {
                    ulong kib = i == cells.Count - 1 ? memKiB - share * (ulong)(cells.Count - 1) : share;
                    cells[i] = (cells[i].Cpus, kib, cells[i].Spec);
                }
            }
            else
            {
                for (int i = 0; i < cells.Count; i++)
                {
                    ulong bytes = specs[i].MemoryBytes!.Value;
                    if (bytes == 0 || bytes % 1024 != 0)
                    {
                        throw TuningException.Invalid("InvalidCellMemory", $"Cell {i}: Memory must be a positive whole number of KiB.");
                    }
                    cells[i] = (cells[i].Cpus, bytes / 1024, cells[i].Spec);
                }
                ulong sum = cells.Aggregate(0UL, (a, c) => a + c.KiB);
                if (sum != memKiB && !change.SetMemory)
                {
                    throw TuningException.Invalid("NumaMemoryMismatch",
                        $"The cells hold {SizeText.Format(sum * 1024)} but the VM has {SizeText.Format(memKiB * 1024)}; make them match, or add -SetMemory to give the VM {SizeText.Format(sum * 1024)}.");
                }
            }
            foreach (var (c, i) in cells.Select((c, i) => (c, i)))
            {
                if (c.KiB == 0 || c.KiB % alignKiB != 0)
                {
                    throw TuningException.Invalid("CellMemoryNotPageAligned",
                        $"Cell {i} would hold {c.KiB} KiB, not a whole number of {alignKiB} KiB pages.");
                }
            }
        }
        KvmNumaMemoryMode? mode = change.MemoryMode;
        if (mode is not null && nodes is null && (change.Clear || domain.Element("numatune")?.Element("memory")?.Attribute("nodeset") is null))
        {
            throw TuningException.Invalid("HostNodeRequired", "-MemoryMode needs -HostNode: the host NUMA nodes to bind the memory to.");
        }
        if (nodes is not null && (mode ?? ParseMode((string?)domain.Element("numatune")?.Element("memory")?.Attribute("mode"))) == KvmNumaMemoryMode.Preferred && nodes.Length > 1)
        {
            throw TuningException.Invalid("PreferredNeedsOneNode", "-MemoryMode Preferred takes exactly one host node.");
        }
        foreach (var (c, i) in cells.Select((c, i) => (c, i)))
        {
            if (c.Spec.HostNode is string hn && (c.Spec.MemoryMode ?? mode) == KvmNumaMemoryMode.Preferred && CpuSet.Parse(hn).Length > 1)
            {
                throw TuningException.Invalid("PreferredNeedsOneNode", $"Cell {i}: MemoryMode Preferred takes exactly one host node.");
            }
        }

        // 2. Edit.
        if (change.Clear)
        {
            domain.Element("cpu")?.Element("numa")?.Remove();
            domain.Element("numatune")?.Remove();
            RemoveEmptyCpu(domain);
        }
        if (cells.Count > 0)
        {
            XElement cpu = CpuXml.GetOrCreateCpuElement(domain);
            cpu.Element("numa")?.Remove();
            CpuXml.AddInOrder(cpu, new XElement("numa", cells.Select((c, i) => new XElement("cell",
                new XAttribute("id", i),
                new XAttribute("cpus", CpuSet.Format(c.Cpus)),
                new XAttribute("memory", c.KiB.ToString(CultureInfo.InvariantCulture)),
                new XAttribute("unit", "KiB")))));
            // The old cells' bindings described cells that are gone.
            domain.Element("numatune")?.Elements("memnode").Remove();
            ulong sum = cells.Aggregate(0UL, (a, c) => a + c.KiB);
            if (sum != memKiB)
            {
                // -SetMemory: the VM gets what its cells hold, as Set-KvmVM -Memory sets both sizes.
                SetKiB(domain, "memory", sum + devicesKiB);
                if (domain.Element("currentMemory") is not null)
                {
                    SetKiB(domain, "currentMemory", sum + devicesKiB);
                }
            }
        }
        if (nodes is not null || mode is not null || cells.Any(c => c.Spec.HostNode is not null))
        {
            XElement tune = domain.Element("numatune") ?? AddNumatune(domain);
            if (nodes is not null || mode is not null)
            {
                XElement mem = tune.Element("memory") ?? AddFirstChild(tune, new XElement("memory"));
                mem.SetAttributeValue("mode", ModeName(mode ?? ParseMode((string?)mem.Attribute("mode")) ?? KvmNumaMemoryMode.Strict));
                if (nodes is not null)
                {
                    mem.SetAttributeValue("nodeset", CpuSet.Format(nodes));
                    mem.Attribute("placement")?.Remove();
                }
            }
            for (int i = 0; i < cells.Count; i++)
            {
                if (cells[i].Spec.HostNode is string hn)
                {
                    tune.Add(new XElement("memnode", new XAttribute("cellid", i),
                        new XAttribute("mode", ModeName(cells[i].Spec.MemoryMode ?? mode ?? KvmNumaMemoryMode.Strict)),
                        new XAttribute("nodeset", CpuSet.Format(CpuSet.Parse(hn)))));
                }
            }
        }
    }

    private static int[] ParseNodes(string text, string what, IReadOnlySet<int> hostNodes)
    {
        int[] nodes;
        try
        {
            nodes = CpuSet.Parse(text);
        }
        catch (FormatException e)
        {
            throw TuningException.Invalid("InvalidNodeSet", $"{what}: {e.Message.Replace("cpuset", "nodeset")}");
        }
        var unknown = nodes.Where(n => !hostNodes.Contains(n)).ToList();
        if (unknown.Count > 0)
        {
            string have = hostNodes.Count == 0 ? "none" : CpuSet.Format(hostNodes);
            throw TuningException.Invalid("HostNodeNotFound", $"{what}: host NUMA node(s) {CpuSet.Format(unknown)} do not exist (the host has {have}).");
        }
        return nodes;
    }

    private static XElement AddNumatune(XElement domain)
    {
        var tune = new XElement("numatune");
        (domain.Element("cputune") ?? domain.Element("vcpu"))?.AddAfterSelf(tune);
        if (tune.Parent is null)
        {
            domain.Add(tune);
        }
        return tune;
    }

    private static XElement AddFirstChild(XElement parent, XElement child)
    {
        parent.AddFirst(child);
        return child;
    }

    internal static void RemoveEmptyCpu(XElement domain)
    {
        if (domain.Element("cpu") is XElement cpu && !cpu.HasElements && !cpu.HasAttributes)
        {
            cpu.Remove();
        }
    }

    internal static void SetKiB(XElement domain, string name, ulong kib)
    {
        XElement e = domain.Element(name) ?? new XElement(name);
        if (e.Parent is null)
        {
            domain.Add(e);
        }
        e.ReplaceAll(new XAttribute("unit", "KiB"), kib.ToString(CultureInfo.InvariantCulture));
    }

    public static KvmNuma Read(XElement domain, string vmName, string uri, bool fromConfig)
    {
        XElement? tune = domain.Element("numatune");
        var memnodes = (tune?.Elements("memnode") ?? Enumerable.Empty<XElement>())
            .Where(m => int.TryParse((string?)m.Attribute("cellid"), out _))
            .ToDictionary(m => int.Parse((string)m.Attribute("cellid")!, CultureInfo.InvariantCulture));
        var cells = (domain.Element("cpu")?.Element("numa")?.Elements("cell") ?? Enumerable.Empty<XElement>())
            .Select((c, i) =>
            {
                int id = CpuXml.Attr(c, "id") ?? i;
                memnodes.TryGetValue(id, out XElement? mn);
                return new KvmGuestNumaCell
                {
                    Id = id,
                    Cpus = (string?)c.Attribute("cpus") ?? "",
                    MemoryBytes = HostInfoReader.ToKiB((string?)c.Attribute("memory"), (string?)c.Attribute("unit")) * 1024,
                    HostNodes = (string?)mn?.Attribute("nodeset"),
                    MemoryMode = ParseMode((string?)mn?.Attribute("mode")),
                };
            }).ToArray();
        XElement? mem = tune?.Element("memory");
        return new KvmNuma
        {
            VMName = vmName,
            Cells = cells,
            MemoryMode = ParseMode((string?)mem?.Attribute("mode")) ?? (mem is null ? null : KvmNumaMemoryMode.Strict),
            HostNodes = (string?)mem?.Attribute("nodeset"),
            FromConfig = fromConfig,
            Uri = uri,
        };
    }
}

using System.Xml.Linq;
using KvmPS.Engine.Domains;

namespace KvmPS.Engine.Conversion;

/// <summary>vCPUs, topology, model, features, pins, guest NUMA and memory of a domain, in KubeVirt's terms.</summary>
internal static class KubeVirtCpuMapper
{
    private static readonly HashSet<string> s_policies = new(StringComparer.Ordinal) { "force", "require", "optional", "disable", "forbid" };

    public static void Map(KubeVirtWork w)
    {
        XElement d = w.Domain;
        XElement? vcpu = d.Element("vcpu");
        int max = int.TryParse(vcpu?.Value.Trim(), out int m) && m > 0 ? m : 1;
        w.VCpus = max;
        if ((string?)vcpu?.Attribute("current") is string cur && int.TryParse(cur, out int c) && c < max)
        {
            w.Note($"vCPUs: {c} of {max} were online; the manifest gives the guest all {max} (KubeVirt hot-plugs whole sockets, up to maxSockets).");
        }
        if ((string?)vcpu?.Attribute("cpuset") is string cpuset)
        {
            w.Lost($"vCPU placement on host CPUs {cpuset} (<vcpu cpuset>): KubeVirt chooses the node's CPUs.");
        }

        YamlMap cpu = w.DomainSpec.Map("cpu");
        XElement? cpuEl = d.Element("cpu");
        XElement? topo = cpuEl?.Element("topology");
        int sockets = Int(topo, "sockets") ?? max, cores = Int(topo, "cores") ?? 1, threads = Int(topo, "threads") ?? 1;
        if (Int(topo, "dies") is int dies && dies > 1)
        {
            w.Lost($"CPU dies={dies}: KubeVirt's topology has sockets, cores and threads only (the manifest has {sockets} sockets × {cores} cores × {threads} threads, {dies} dies each folded into the sockets).");
            sockets *= dies;
        }
        cpu.Add("sockets", sockets);
        cpu.Add("cores", cores);
        cpu.Add("threads", threads);

        string? mode = (string?)cpuEl?.Attribute("mode");
        string? model = cpuEl?.Element("model")?.Value.Trim();
        switch (mode)
        {
            case "host-passthrough":
            case "host-model":
                cpu.Add("model", mode);
                break;
            case "maximum":
                cpu.Add("model", "host-passthrough");
                w.Note("CPU mode maximum → model host-passthrough (KubeVirt has no 'maximum').");
                break;
            default:
                if (!string.IsNullOrEmpty(model))
                {
                    cpu.Add("model", model);
                }
                break;
        }
        if ((string?)cpuEl?.Element("cache")?.Attribute("mode") is string cache)
        {
            w.Lost($"CPU cache mode '{cache}' (<cpu><cache>): KubeVirt does not set it.");
        }
        var features = new List<object?>();
        foreach (XElement f in cpuEl?.Elements("feature") ?? Enumerable.Empty<XElement>())
        {
            string policy = (string?)f.Attribute("policy") ?? "require";
            string? name = (string?)f.Attribute("name");
            if (name is null)
            {
                continue;
            }
            if (!s_policies.Contains(policy))
            {
                w.Lost($"CPU feature {name} with policy '{policy}'.");
                continue;
            }
            features.Add(new YamlMap { { "name", name }, { "policy", policy } });
        }
        if (features.Count > 0)
        {
            cpu.Add("features", features);
        }

        MapPins(w, cpu, d.Element("cputune"));
        MapMemory(w);
        MapNuma(w, cpu, cpuEl?.Element("numa"), d.Element("numatune"));
    }

    private static void MapPins(KubeVirtWork w, YamlMap cpu, XElement? tune)
    {
        if (tune is null)
        {
            return;
        }
        var pins = tune.Elements("vcpupin").ToList();
        if (pins.Count > 0)
        {
            w.Dedicated = true;
            cpu.Add("dedicatedCpuPlacement", true);
            string list = string.Join(", ", pins.Select(p => $"{(string?)p.Attribute("vcpu")}→{(string?)p.Attribute("cpuset")}"));
            w.Note($"vCPU pins ({list}) → dedicatedCpuPlacement: KubeVirt's CPU manager picks the dedicated host CPUs itself.");
            if (pins.Count < w.VCpus)
            {
                w.Note($"Only {pins.Count} of {w.VCpus} vCPUs were pinned; KubeVirt dedicates a host CPU to every vCPU.");
            }
        }
        HashSet<int> vcpuHost = pins.SelectMany(p => Cpus((string?)p.Attribute("cpuset"))).ToHashSet();
        if ((string?)tune.Element("emulatorpin")?.Attribute("cpuset") is string emu)
        {
            var emuCpus = Cpus(emu).ToHashSet();
            if (w.Dedicated && emuCpus.Count > 0 && !emuCpus.Overlaps(vcpuHost))
            {
                cpu.Add("isolateEmulatorThread", true);
                w.Note($"Emulator pinned to host CPUs {emu}, apart from the vCPUs → isolateEmulatorThread (KubeVirt gives it a CPU of its own).");
            }
            else
            {
                w.Lost($"Emulator pin on host CPUs {emu}: it shares CPUs with the vCPUs (or the vCPUs are not pinned), which KubeVirt cannot express.");
            }
        }
        foreach (XElement e in tune.Elements().Where(e => e.Name.LocalName is not ("vcpupin" or "emulatorpin")))
        {
            w.Lost($"<cputune><{e.Name.LocalName}> {DomainEditor.OneLine(e.ToString(SaveOptions.DisableFormatting))}: KubeVirt has no such setting.");
        }
    }

    private static void MapMemory(KubeVirtWork w)
    {
        XElement d = w.Domain;
        ulong mem = DomainXml.Bytes(d.Element("memory"));
        w.MemoryBytes = mem;
        YamlMap memory = w.DomainSpec.Map("memory");
        memory.Add("guest", KubeVirtQuantity.FromBytes(mem));
        ulong current = DomainXml.Bytes(d.Element("currentMemory"));
        if (current != 0 && current < mem)
        {
            w.Lost($"Balloon target {KubeVirtQuantity.FromBytes(current)} of {KubeVirtQuantity.FromBytes(mem)} (<currentMemory>): KubeVirt starts with all of the guest memory.");
        }
        if (d.Element("maxMemory") is XElement maxMem)
        {
            w.Lost($"Memory hot-plug limit {KubeVirtQuantity.FromBytes(DomainXml.Bytes(maxMem))} (<maxMemory>).");
        }
        XElement? backing = d.Element("memoryBacking");
        if (backing is null)
        {
            return;
        }
        foreach (XElement e in backing.Elements())
        {
            if (e.Name.LocalName == "hugepages")
            {
                var sizes = e.Elements("page").Select(p => KubeVirtQuantity.FromBytes(
                    Domains.DomainXml.Bytes(new XElement("s", (string?)p.Attribute("size"), new XAttribute("unit", (string?)p.Attribute("unit") ?? "KiB"))))).Distinct().ToList();
                string size = sizes.FirstOrDefault() ?? "2Mi";
                memory.Map("hugepages").Add("pageSize", size);
                if (sizes.Count == 0)
                {
                    w.Note("Huge pages of the host's default size → pageSize 2Mi (the usual default; set 1Gi if the nodes use that).");
                }
                else if (sizes.Count > 1)
                {
                    w.Lost($"Huge pages of several sizes ({string.Join(", ", sizes)}): KubeVirt takes one page size; the manifest has {size}.");
                }
            }
            else
            {
                w.Lost($"Memory backing <{e.Name.LocalName}>{Attrs(e)}: KubeVirt has no such setting.");
            }
        }
    }

    private static void MapNuma(KubeVirtWork w, YamlMap cpu, XElement? numa, XElement? numatune)
    {
        var cells = numa?.Elements("cell").ToList() ?? new List<XElement>();
        if (cells.Count > 0)
        {
            string layout = string.Join("; ", cells.Select(c => $"cell {(string?)c.Attribute("id")}: vCPUs {(string?)c.Attribute("cpus")}, {KubeVirtQuantity.FromBytes(DomainXml.Bytes(new XElement("m", (string?)c.Attribute("memory"), new XAttribute("unit", (string?)c.Attribute("unit") ?? "KiB"))))}"));
            bool huge = w.DomainSpec.Map("memory")["hugepages"] is not null;
            if (w.Dedicated && huge)
            {
                cpu.Map("numa").Add("guestMappingPassthrough", new YamlMap());
                w.Note($"Guest NUMA ({layout}) → guestMappingPassthrough: the guest's cells follow the NUMA nodes of its dedicated CPUs on the node.");
            }
            else
            {
                w.Lost($"Guest NUMA cells ({layout}): KubeVirt maps guest NUMA only with dedicated CPUs and huge pages (guestMappingPassthrough).");
            }
        }
        if (numatune is not null)
        {
            string what = DomainEditor.OneLine(numatune.ToString(SaveOptions.DisableFormatting));
            if (cells.Count > 0 && cpu["numa"] is not null)
            {
                w.Note($"Host NUMA binding {what} → left to guestMappingPassthrough.");
            }
            else
            {
                w.Lost($"Host NUMA binding {what}: KubeVirt chooses the node's memory.");
            }
        }
    }

    private static int? Int(XElement? e, string attr) => int.TryParse((string?)e?.Attribute(attr), out int v) ? v : null;

    private static IEnumerable<int> Cpus(string? cpuset)
    {
        try
        {
            return string.IsNullOrWhiteSpace(cpuset) ? Enumerable.Empty<int>() : CpuSet.Parse(cpuset);
        }
        catch (FormatException)
        {
            return Enumerable.Empty<int>();
        }
    }

    internal static string Attrs(XElement e) =>
        e.HasAttributes ? " (" + string.Join(", ", e.Attributes().Select(a => $"{a.Name.LocalName}={a.Value}")) + ")" : "";
}

using System.Globalization;
using System.Xml.Linq;

namespace KvmPS.Engine.Tuning;

/// <summary>Reads and edits &lt;cputune&gt; pins. Pure.</summary>
public static class CpuTuneXml
{
    public static PinState Read(XElement domain)
    {
        XElement? tune = domain.Element("cputune");
        var vcpus = new SortedDictionary<int, int[]>();
        var io = new SortedDictionary<int, int[]>();
        foreach (XElement p in tune?.Elements("vcpupin") ?? Enumerable.Empty<XElement>())
        {
            if (Int((string?)p.Attribute("vcpu")) is int v && TryParse((string?)p.Attribute("cpuset")) is int[] set)
            {
                vcpus[v] = set;
            }
        }
        foreach (XElement p in tune?.Elements("iothreadpin") ?? Enumerable.Empty<XElement>())
        {
            if (Int((string?)p.Attribute("iothread")) is int id && TryParse((string?)p.Attribute("cpuset")) is int[] set)
            {
                io[id] = set;
            }
        }
        return new PinState
        {
            MaxVCpus = CpuXml.MaxVCpus(domain),
            VCpus = vcpus,
            Emulator = TryParse((string?)tune?.Element("emulatorpin")?.Attribute("cpuset")),
            IOThreads = io,
            IOThreadIds = IOThreadIds(domain),
            DefaultCpus = TryParse((string?)domain.Element("vcpu")?.Attribute("cpuset")),
        };
    }

    /// <summary>The VM's IOThread ids: &lt;iothreadids&gt; when listed, else 1..&lt;iothreads&gt;.</summary>
    public static int[] IOThreadIds(XElement domain)
    {
        var listed = (domain.Element("iothreadids")?.Elements("iothread") ?? Enumerable.Empty<XElement>())
            .Select(e => Int((string?)e.Attribute("id"))).OfType<int>().ToList();
        int count = Int(((string?)domain.Element("iothreads"))?.Trim()) ?? 0;
        // Unlisted threads get the lowest ids not taken by listed ones, as libvirt numbers them.
        for (int id = 1; listed.Count < count; id++)
        {
            if (!listed.Contains(id))
            {
                listed.Add(id);
            }
        }
        return listed.OrderBy(x => x).ToArray();
    }

    public static void Apply(XElement domain, PinChange change)
    {
        XElement? tune = domain.Element("cputune");
        if (tune is null)
        {
            if (change.VCpus.Count == 0 && change.Emulator is null && change.IOThreads.Count == 0)
            {
                return;
            }
            tune = new XElement("cputune");
            // libvirt writes cputune right after the vCPU and IOThread elements.
            XElement? anchor = domain.Element("iothreadids") ?? domain.Element("iothreads") ?? domain.Element("vcpus") ?? domain.Element("vcpu");
            if (anchor is not null)
            {
                anchor.AddAfterSelf(tune);
            }
            else
            {
                domain.Add(tune);
            }
        }
        if (change.ClearAll)
        {
            tune.Elements().Where(e => e.Name.LocalName is "vcpupin" or "emulatorpin" or "iothreadpin").Remove();
        }
        else if (change.ReplaceVCpus)
        {
            tune.Elements("vcpupin").Remove();
        }
        foreach (var (vcpu, cpus) in change.VCpus)
        {
            tune.Elements("vcpupin").Where(e => Int((string?)e.Attribute("vcpu")) == vcpu).Remove();
            tune.Add(new XElement("vcpupin", new XAttribute("vcpu", vcpu), new XAttribute("cpuset", CpuSet.Format(cpus))));
        }
        if (change.Emulator is int[] em)
        {
            tune.Elements("emulatorpin").Remove();
            tune.Add(new XElement("emulatorpin", new XAttribute("cpuset", CpuSet.Format(em))));
        }
        foreach (var (id, cpus) in change.IOThreads)
        {
            tune.Elements("iothreadpin").Where(e => Int((string?)e.Attribute("iothread")) == id).Remove();
            tune.Add(new XElement("iothreadpin", new XAttribute("iothread", id), new XAttribute("cpuset", CpuSet.Format(cpus))));
        }
        // libvirt's order: vcpupins by vCPU, then the emulator, then IOThreads by id; other tunables stay put.
        var pins = tune.Elements().Where(e => e.Name.LocalName is "vcpupin" or "emulatorpin" or "iothreadpin")
            .OrderBy(e => e.Name.LocalName switch { "vcpupin" => 0, "emulatorpin" => 1, _ => 2 })
            .ThenBy(e => Int((string?)e.Attribute("vcpu")) ?? Int((string?)e.Attribute("iothread")) ?? 0)
            .ToList();
        pins.ForEach(p => p.Remove());
        tune.AddFirst(pins);
        if (!tune.HasElements && !tune.HasAttributes)
        {
            tune.Remove();
        }
    }

    /// <summary>Host CPUs that vCPUs of this domain are pinned to (for other VMs' planning).</summary>
    public static IEnumerable<int> PinnedVCpuHostCpus(XElement domain) => Read(domain).VCpus.Values.SelectMany(v => v);

    private static int[]? TryParse(string? cpuset)
    {
        if (cpuset is null)
        {
            return null;
        }
        try
        {
            return CpuSet.Parse(cpuset);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static int? Int(string? s) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : null;
}

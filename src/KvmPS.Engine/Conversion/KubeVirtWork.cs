using System.Xml.Linq;

namespace KvmPS.Engine.Conversion;

/// <summary>
/// One conversion in progress: the domain, the options, the parts of the manifest being built, and
/// the lists of what could not be mapped (<see cref="Unmapped"/>) and what was mapped approximately
/// (<see cref="Notes"/>). Every part of the domain is either mapped, named as implicit in KubeVirt,
/// or listed as unmapped.
/// </summary>
internal sealed class KubeVirtWork
{
    public KubeVirtWork(XElement domain, KubeVirtOptions options)
    {
        Domain = domain;
        Options = options;
        LibvirtName = (string?)domain.Element("name") ?? "";
        Name = KubeVirtQuantity.DnsLabel(LibvirtName);
    }

    public XElement Domain { get; }
    public KubeVirtOptions Options { get; }
    public string LibvirtName { get; }
    public string Name { get; }

    public YamlMap DomainSpec { get; } = new();
    public YamlMap TemplateSpec { get; } = new();
    public List<object?> Disks { get; } = new();
    public List<object?> Volumes { get; } = new();
    public List<object?> Interfaces { get; } = new();
    public List<object?> Networks { get; } = new();
    public List<YamlMap> DataVolumes { get; } = new();
    public List<string> Steps { get; } = new();
    public List<string> Unmapped { get; } = new();
    public List<string> Notes { get; } = new();

    /// <summary>vCPU count of the domain.</summary>
    public int VCpus { get; set; }

    /// <summary>Whether every vCPU got a dedicated host CPU (dedicatedCpuPlacement).</summary>
    public bool Dedicated { get; set; }

    /// <summary>Guest memory in bytes.</summary>
    public ulong MemoryBytes { get; set; }

    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>A disk, volume or network name not used yet in this manifest, made from <paramref name="wanted"/>.</summary>
    public string UniqueName(string wanted)
    {
        string b = KubeVirtQuantity.DnsLabel(wanted);
        string n = b;
        for (int i = 1; !_names.Add(n); i++)
        {
            n = $"{b}-{i}";
        }
        return n;
    }

    public void Lost(string what) => Unmapped.Add(what);

    public void Note(string what) => Notes.Add(what);

    /// <summary>A word of shell, single-quoted when it needs quoting.</summary>
    public static string Shell(string word) =>
        word.Length > 0 && word.All(c => char.IsLetterOrDigit(c) || "/._-:=+@,".Contains(c)) ? word : "'" + word.Replace("'", "'\\''") + "'";
}

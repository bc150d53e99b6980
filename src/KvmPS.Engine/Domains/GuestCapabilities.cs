using System.Xml.Linq;

namespace KvmPS.Engine.Domains;

public static class GuestCapabilities
{
    public static List<GuestArch> Parse(string capabilitiesXml)
    {
        XElement root = SafeXml.Parse(capabilitiesXml);
        return root.Elements("guest").SelectMany(g => g.Elements("arch").Select(a => new GuestArch
        {
            OsType = (string?)g.Element("os_type") ?? "hvm",
            Arch = (string?)a.Attribute("name") ?? "",
            Emulator = (string?)a.Element("emulator"),
            Machines = a.Elements("machine").Select(m => m.Value.Trim())
                .Concat(a.Elements("domain").SelectMany(d => d.Elements("machine")).Select(m => m.Value.Trim()))
                .ToHashSet(StringComparer.Ordinal),
            DomainTypes = a.Elements("domain").Select(d => (string?)d.Attribute("type")).OfType<string>().Distinct().ToArray(),
        })).ToList();
    }

    /// <summary>The host's own architecture from the capabilities XML.</summary>
    public static string HostArch(string capabilitiesXml) =>
        (string?)SafeXml.Parse(capabilitiesXml).Element("host")?.Element("cpu")?.Element("arch") ?? "";

    /// <summary>Feature names of the host CPU (vmx, svm, avx2, ...) from the capabilities XML.</summary>
    public static HashSet<string> HostCpuFeatures(string capabilitiesXml) =>
        (SafeXml.Parse(capabilitiesXml).Element("host")?.Element("cpu")?.Elements("feature") ?? Enumerable.Empty<XElement>())
            .Select(f => (string?)f.Attribute("name")).OfType<string>().ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Whether a host CPU with these features runs ordinary KVM guests: it must show vmx (Intel)
    /// or svm (AMD). An empty list means the driver does not report features: trust the offer.
    /// </summary>
    public static bool CpuRunsKvmGuests(IReadOnlySet<string> hostCpuFeatures) =>
        hostCpuFeatures.Count == 0 || hostCpuFeatures.Contains("vmx") || hostCpuFeatures.Contains("svm");

    /// <summary>
    /// Picks the hvm guest to build for: the requested arch, else the host's arch, else the first
    /// hvm guest. Returns null when the host offers no hvm guest.
    /// </summary>
    public static GuestArch? Choose(List<GuestArch> guests, string hostArch, string? wantedArch)
    {
        var hvm = guests.Where(g => g.OsType == "hvm").ToList();
        if (wantedArch is not null)
        {
            return hvm.FirstOrDefault(g => g.Arch == wantedArch);
        }
        return hvm.FirstOrDefault(g => g.Arch == hostArch) ?? hvm.FirstOrDefault(g => g.Arch == "x86_64") ?? hvm.FirstOrDefault();
    }
}

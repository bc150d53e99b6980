using System.Xml;
using System.Xml.Linq;
using KvmPS.Engine.Domains;
using KvmPS.Engine.HostChecks;
using KvmPS.Engine.Native;
using KvmPS.Engine.Networks;
using KvmPS.Engine.Tuning;

namespace KvmPS.Engine.Host;

/// <summary>
/// Names a host knows that a user types as parameter values: host bridges, machine types, CPU
/// models and CPU features. Each list is what the host offers, for tab completion; a host that
/// cannot tell yields an empty list, never an error.
/// </summary>
public static class HostNames
{
    /// <summary>Where libvirt keeps its CPU map (models and features per architecture).</summary>
    internal const string CpuMapDirectory = "/usr/share/libvirt/cpu_map";

    /// <summary>
    /// Host bridges: those libvirt's interface driver reports (any host, also remote ones), and
    /// for a local daemon the bridges in /sys/class/net where the daemon's network driver sees
    /// them (it may run in a network namespace of its own). The test driver's host is simulated,
    /// so the machine's own bridges are not offered for it.
    /// </summary>
    public static List<string> Bridges(LibvirtConnection conn, IHostFileSystem fs)
    {
        var names = new SortedSet<string>(InterfaceBridges(conn), StringComparer.Ordinal);
        if (conn.IsLocal && !IsTestDriver(conn))
        {
            names.UnionWith(new DaemonHostView(fs).ListBridges());
        }
        return names.ToList();
    }

    /// <summary>The bridges libvirt's interface API lists; empty when the driver has no interface support.</summary>
    public static List<string> InterfaceBridges(LibvirtConnection conn)
    {
        List<InterfaceHandle> handles;
        try
        {
            handles = conn.ListAllInterfaces();
        }
        catch (LibvirtException)
        {
            return new List<string>();
        }
        var names = new List<string>();
        foreach (InterfaceHandle h in handles)
        {
            using (h)
            {
                string? xml = Libvirt.TakeString(Libvirt.virInterfaceGetXMLDesc(h, 0));
                if (xml is null)
                {
                    Libvirt.virResetLastError();
                    continue;
                }
                if (BridgeName(xml) is string name)
                {
                    names.Add(name);
                }
            }
        }
        return names;
    }

    /// <summary>The name of an interface definition when it is a bridge (type='bridge'), else null.</summary>
    public static string? BridgeName(string interfaceXml)
    {
        XElement e = SafeXml.Parse(interfaceXml);
        return (string?)e.Attribute("type") == "bridge" ? (string?)e.Attribute("name") : null;
    }

    /// <summary>Machine types (aliases such as q35 and their canonical names) the host offers for hvm guests of an architecture (default: the host's).</summary>
    public static List<string> MachineTypes(LibvirtConnection conn, string? arch = null) =>
        MachineTypes(conn.GetCapabilitiesXml(), arch);

    public static List<string> MachineTypes(string capabilitiesXml, string? arch)
    {
        string want = string.IsNullOrEmpty(arch) ? GuestCapabilities.HostArch(capabilitiesXml) : arch;
        var guests = GuestCapabilities.Parse(capabilitiesXml).Where(g => g.OsType == "hvm").ToList();
        var matching = guests.Where(g => g.Arch == want).ToList();
        return (matching.Count > 0 ? matching : guests).SelectMany(g => g.Machines)
            .Where(m => m.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>CPU model names for an architecture (default: the host's); empty when the driver cannot tell.</summary>
    public static List<string> CpuModels(LibvirtConnection conn, string? arch = null)
    {
        string want = string.IsNullOrEmpty(arch) ? GuestCapabilities.HostArch(conn.GetCapabilitiesXml()) : arch;
        return want.Length == 0 ? new List<string>()
            : (TuningService.CpuModelNames(conn, want) ?? new HashSet<string>()).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// CPU feature names: the host CPU's (capabilities), those of the host-model CPU in the domain
    /// capabilities, and, for a local libvirt, every feature of its CPU map for the architecture.
    /// </summary>
    public static List<string> CpuFeatures(LibvirtConnection conn, IHostFileSystem fs, string? arch = null)
    {
        string caps = conn.GetCapabilitiesXml();
        string want = string.IsNullOrEmpty(arch) ? GuestCapabilities.HostArch(caps) : arch;
        var names = new SortedSet<string>(GuestCapabilities.HostCpuFeatures(caps), StringComparer.Ordinal);
        foreach (string virtType in new[] { "kvm", "qemu" })
        {
            try
            {
                names.UnionWith(DomainCapabilityFeatures(conn.GetDomainCapabilitiesXml(virtType, want.Length == 0 ? null : want)));
            }
            catch (LibvirtException)
            {
                // This driver or virt type has no domain capabilities: the other sources remain.
            }
        }
        if (conn.IsLocal)
        {
            names.UnionWith(CpuMapFeatures(fs, want));
        }
        return names.ToList();
    }

    /// <summary>Feature names of the CPU modes in a domain capabilities document (host-model and custom).</summary>
    public static IEnumerable<string> DomainCapabilityFeatures(string domainCapabilitiesXml) =>
        (SafeXml.Parse(domainCapabilitiesXml).Element("cpu")?.Descendants("feature") ?? Enumerable.Empty<XElement>())
            .Select(f => (string?)f.Attribute("name")).OfType<string>();

    /// <summary>Every feature libvirt's CPU map names for an architecture family (x86_features.xml, arm_features.xml, ...).</summary>
    public static IEnumerable<string> CpuMapFeatures(IHostFileSystem fs, string arch)
    {
        string? family = arch switch
        {
            "x86_64" or "i686" or "i386" => "x86",
            "aarch64" or "armv7l" or "armv6l" => "arm",
            "ppc64" or "ppc64le" => "ppc64",
            _ => null,
        };
        string? text = family is null ? null : fs.ReadText($"{CpuMapDirectory}/{family}_features.xml");
        if (text is null)
        {
            return Enumerable.Empty<string>();
        }
        try
        {
            return SafeXml.Parse(text).Descendants("feature").Select(f => (string?)f.Attribute("name")).OfType<string>().ToList();
        }
        catch (XmlException)
        {
            return Enumerable.Empty<string>();
        }
    }

    /// <summary>
    /// MAC addresses that belong with a network: its DHCP reservations and the adapters of VMs
    /// attached to it (their persistent definitions as listed). Empty when the network does not exist.
    /// </summary>
    public static List<string> NetworkMacAddresses(LibvirtConnection conn, string network)
    {
        using NetworkHandle? h = NetworkService.TryLookup(conn, network);
        if (h is null)
        {
            return new List<string>();
        }
        var macs = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        macs.UnionWith(NetworkService.Read(h).ToObject(conn.Uri).Reservations.Select(r => r.MacAddress).OfType<string>());
        macs.UnionWith(DomainService.ListAll(conn).SelectMany(vm => vm.NetworkAdapters)
            .Where(n => n.Type == "network" && n.Source == network).Select(n => n.MacAddress).OfType<string>());
        return macs.ToList();
    }

    private static bool IsTestDriver(LibvirtConnection conn) =>
        conn.GetHypervisorType().Equals("TEST", StringComparison.OrdinalIgnoreCase);
}

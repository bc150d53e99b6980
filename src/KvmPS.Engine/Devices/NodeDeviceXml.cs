using System.Globalization;
using System.Xml.Linq;

namespace KvmPS.Engine.Devices;

/// <summary>Reads PCI node device XML and turns a host's devices into KvmHostDevice objects (pure: no libvirt call).</summary>
public static class NodeDeviceXml
{
    /// <summary>Parses one node device; null when it is not a PCI device.</summary>
    public static PciNodeDevice? ParsePci(string xml)
    {
        XElement dev = SafeXml.Parse(xml);
        XElement? cap = dev.Elements("capability").FirstOrDefault(c => (string?)c.Attribute("type") == "pci");
        if (cap is null)
        {
            return null;
        }
        int? Int(string name) =>
            int.TryParse((string?)cap.Element(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : null;
        var address = new PciAddress(Int("domain") ?? 0, Int("bus") ?? 0, Int("slot") ?? 0, Int("function") ?? 0);

        XElement? group = cap.Element("iommuGroup");
        XElement? vfs = cap.Elements("capability").FirstOrDefault(c => (string?)c.Attribute("type") == "virt_functions");
        XElement? pf = cap.Elements("capability").FirstOrDefault(c => (string?)c.Attribute("type") == "phys_function");
        return new PciNodeDevice
        {
            Name = (string?)dev.Element("name") ?? address.NodeDeviceName,
            Address = address,
            ClassCode = ParseHex((string?)cap.Element("class")),
            VendorId = (string?)cap.Element("vendor")?.Attribute("id"),
            VendorName = NullIfEmpty((string?)cap.Element("vendor")),
            ProductId = (string?)cap.Element("product")?.Attribute("id"),
            ProductName = NullIfEmpty((string?)cap.Element("product")),
            Driver = NullIfEmpty((string?)dev.Element("driver")?.Element("name")),
            Parent = (string?)dev.Element("parent"),
            IommuGroup = int.TryParse((string?)group?.Attribute("number"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int g) ? g : null,
            IommuGroupAddresses = Addresses(group),
            VirtualFunctions = Addresses(vfs),
            MaxVirtualFunctions = int.TryParse((string?)vfs?.Attribute("maxCount"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int max) ? max : null,
            PhysicalFunction = PciAddress.FromXml(pf?.Element("address")),
            NumaNode = int.TryParse((string?)cap.Element("numa")?.Attribute("node"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int numa) && numa >= 0 ? numa : null,
            HasBridgeCapability = cap.Elements("capability").Any(c => (string?)c.Attribute("type") is "pci-bridge" or "cardbus-bridge"),
        };
    }

    private static IReadOnlyList<PciAddress> Addresses(XElement? parent) =>
        (parent?.Elements("address") ?? Enumerable.Empty<XElement>())
            .Select(PciAddress.FromXml).OfType<PciAddress>().ToList();

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static int? ParseHex(string? s)
    {
        if (s is null)
        {
            return null;
        }
        s = s.Trim();
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            s = s[2..];
        }
        return int.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int v) ? v : null;
    }

    /// <summary>
    /// Host-critical: the host needs it to run (bridges, memory controllers, system peripherals such
    /// as the IOMMU itself), so it is never handed to a guest.
    /// </summary>
    public static bool IsHostCritical(PciNodeDevice d) =>
        d.HasBridgeCapability || (d.ClassCode is int c && (c >> 16) is 0x05 or 0x06 or 0x08);

    /// <summary>PCI-to-PCI bridges may share an IOMMU group with a device vfio takes: vfio leaves them to the host.</summary>
    private static bool IsPciBridge(PciNodeDevice d) =>
        d.HasBridgeCapability || (d.ClassCode is int c && (c >> 8) is 0x0604 or 0x0609);

    /// <summary>The host's PCI devices as KvmHostDevice objects, with IOMMU groups judged across the host.</summary>
    public static List<KvmHostDevice> ToHostDevices(IEnumerable<PciNodeDevice> devices, string uri)
    {
        var all = devices.ToList();
        var byAddress = all.GroupBy(d => d.Address).ToDictionary(g => g.Key, g => g.First());
        var result = new List<KvmHostDevice>(all.Count);
        foreach (PciNodeDevice d in all.OrderBy(d => d.Address.Domain).ThenBy(d => d.Address.Bus).ThenBy(d => d.Address.Slot).ThenBy(d => d.Address.Function))
        {
            var others = d.IommuGroupAddresses.Where(a => a != d.Address).ToList();
            bool critical = IsHostCritical(d);
            bool groupClean = others.All(a => !byAddress.TryGetValue(a, out PciNodeDevice? m) || !IsHostCritical(m) || IsPciBridge(m));
            result.Add(new KvmHostDevice
            {
                PciAddress = d.Address.ToString(),
                NodeDeviceName = d.Name,
                Class = d.ClassCode is int c ? $"0x{c:x6}" : null,
                ClassName = d.ClassCode is int cc ? ClassName(cc) : null,
                VendorId = d.VendorId,
                VendorName = d.VendorName,
                ProductId = d.ProductId,
                ProductName = d.ProductName,
                Driver = d.Driver,
                IommuGroup = d.IommuGroup,
                IommuGroupMembers = others.Select(a => a.ToString()).ToArray(),
                IsHostCritical = critical,
                Assignable = d.IommuGroup is not null && !critical && groupClean,
                VirtualFunctions = d.VirtualFunctions.Select(a => a.ToString()).ToArray(),
                MaxVirtualFunctions = d.MaxVirtualFunctions,
                PhysicalFunction = d.PhysicalFunction?.ToString(),
                NumaNode = d.NumaNode,
                Parent = d.Parent,
                Uri = uri,
            });
        }
        return result;
    }

    // Names of the PCI classes (base class, or base and subclass) from the PCI id database.
    private static readonly Dictionary<int, string> s_subclasses = new()
    {
        [0x0100] = "SCSI storage controller", [0x0101] = "IDE interface", [0x0104] = "RAID bus controller",
        [0x0106] = "SATA controller", [0x0107] = "Serial Attached SCSI controller", [0x0108] = "Non-Volatile memory controller",
        [0x0200] = "Ethernet controller", [0x0207] = "Infiniband controller", [0x0280] = "Network controller",
        [0x0300] = "VGA compatible controller", [0x0302] = "3D controller", [0x0380] = "Display controller",
        [0x0401] = "Multimedia audio controller", [0x0403] = "Audio device",
        [0x0600] = "Host bridge", [0x0601] = "ISA bridge", [0x0604] = "PCI bridge", [0x0680] = "Bridge",
        [0x0805] = "SD Host controller", [0x0806] = "IOMMU",
        [0x0c03] = "USB controller", [0x0c05] = "SMBus", [0x0c80] = "Serial bus controller",
        [0x1200] = "Processing accelerators",
    };

    private static readonly Dictionary<int, string> s_classes = new()
    {
        [0x00] = "Unclassified device", [0x01] = "Mass storage controller", [0x02] = "Network controller",
        [0x03] = "Display controller", [0x04] = "Multimedia controller", [0x05] = "Memory controller",
        [0x06] = "Bridge", [0x07] = "Communication controller", [0x08] = "Generic system peripheral",
        [0x09] = "Input device controller", [0x0a] = "Docking station", [0x0b] = "Processor",
        [0x0c] = "Serial bus controller", [0x0d] = "Wireless controller", [0x0e] = "Intelligent controller",
        [0x0f] = "Satellite communications controller", [0x10] = "Encryption controller",
        [0x11] = "Signal processing controller", [0x12] = "Processing accelerators",
        [0x13] = "Non-Essential Instrumentation", [0x40] = "Coprocessor",
    };

    public static string ClassName(int classCode) =>
        s_subclasses.TryGetValue(classCode >> 8, out string? sub) ? sub
        : s_classes.TryGetValue(classCode >> 16, out string? cls) ? cls
        : "Unassigned class";
}

using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Native;

namespace KvmPS.Engine.Domains;

/// <summary>
/// Host devices given to a new VM (-HostDevice, virt-install's --host-device): a node device name
/// (pci_0000_00_19_0, usb_1_2), a PCI address (0000:00:19.0 or 00:19.0) or a USB vendor:product
/// (0x046d:0xc52b). Each is looked up among the host's PCI and USB node devices before anything
/// is made and becomes a managed subsystem &lt;hostdev&gt;: PCI by address, USB by vendor and
/// product, or by bus and device number when the host has several of that vendor and product
/// (as virt-install writes them).
/// </summary>
public static partial class VmPassthrough
{
    [GeneratedRegex(@"^(0x)?([0-9a-fA-F]{1,4}):(0x)?([0-9a-fA-F]{1,4})$")]
    private static partial Regex VendorProduct();

    /// <summary>The &lt;hostdev&gt; elements for the given devices; throws <see cref="VmRequestException"/> (ObjectNotFound with the name) for one the host lacks.</summary>
    public static List<XElement> Resolve(LibvirtConnection conn, string vmName, IReadOnlyList<string> given)
    {
        if (given.Count == 0)
        {
            return new List<XElement>();
        }
        List<NodeDevice> host = Read(conn);
        return given.Select(g => Resolve(host, vmName, g, conn.Uri)).ToList();
    }

    /// <summary>One device against the host's node devices (the parsed list).</summary>
    public static XElement Resolve(IReadOnlyList<NodeDevice> host, string vmName, string given, string uri)
    {
        string text = given.Trim();
        NodeDevice? found;
        string what;
        if (text.StartsWith("pci_", StringComparison.Ordinal) || text.StartsWith("usb_", StringComparison.Ordinal))
        {
            found = host.FirstOrDefault(d => d.Name == text);
            what = $"no node device named '{text}'";
        }
        else if (!text.Contains('.') && VendorProduct().Match(text) is { Success: true } m)
        {
            int vendor = int.Parse(m.Groups[2].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            int product = int.Parse(m.Groups[4].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var matches = host.Where(d => d.Usb && d.Vendor == vendor && d.Product == product).ToList();
            if (matches.Count > 1)
            {
                throw VmRequestException.Invalid(vmName, "AmbiguousHostDevice",
                    $"-HostDevice '{given}': the host has {matches.Count} USB devices {vendor:x4}:{product:x4} ({string.Join(", ", matches.Select(x => x.Name))}); give the node device name.");
            }
            found = matches.FirstOrDefault();
            what = $"no USB device {vendor:x4}:{product:x4}";
        }
        else if (PciAddress.TryParse(text, out PciAddress address))
        {
            found = host.FirstOrDefault(d => d.Pci == address);
            what = $"no PCI device at {address}";
        }
        else
        {
            throw VmRequestException.Invalid(vmName, "InvalidHostDevice",
                $"-HostDevice '{given}' is no node device name (pci_0000_00_19_0, usb_1_2), PCI address (0000:00:19.0) or USB vendor:product (0x046d:0xc52b).");
        }
        if (found is null)
        {
            throw new VmRequestException("HostDeviceNotFound", KvmErrorKind.NotFound, given,
                $"VM '{vmName}' was not created: the host {uri} has {what} (-HostDevice '{given}'; Get-KvmHostDevice or virsh nodedev-list lists them).");
        }
        return found.Usb ? UsbHostdev(found, host.Count(d => d.Usb && d.Vendor == found.Vendor && d.Product == found.Product) > 1) : PciHostdev(found.Pci!.Value);
    }

    /// <summary>The host's PCI and USB node devices (one listing each, one XML read per device).</summary>
    public static List<NodeDevice> Read(LibvirtConnection conn)
    {
        var result = new List<NodeDevice>();
        foreach (uint flag in new[] { Libvirt.VIR_CONNECT_LIST_NODE_DEVICES_CAP_PCI_DEV, Libvirt.VIR_CONNECT_LIST_NODE_DEVICES_CAP_USB_DEV })
        {
            foreach (NodeDeviceHandle h in conn.ListAllNodeDevices(flag))
            {
                using (h)
                {
                    string xml = Libvirt.TakeString(Libvirt.virNodeDeviceGetXMLDesc(h, 0)) ?? throw LibvirtException.FromLastError("virNodeDeviceGetXMLDesc");
                    if (Parse(xml) is NodeDevice d)
                    {
                        result.Add(d);
                    }
                }
            }
        }
        return result;
    }

    /// <summary>A node device's XML as far as a &lt;hostdev&gt; needs it; null for other kinds.</summary>
    public static NodeDevice? Parse(string xml)
    {
        XElement d = XElement.Parse(xml);
        string name = ((string?)d.Element("name"))?.Trim() ?? "";
        foreach (XElement cap in d.Elements("capability"))
        {
            int? Num(string element) => ParseNumber((string?)cap.Element(element));
            int? Id(string element) => ParseNumber((string?)cap.Element(element)?.Attribute("id"));
            switch ((string?)cap.Attribute("type"))
            {
                case "pci" when Num("bus") is int b && Num("slot") is int s && Num("function") is int f:
                    return new NodeDevice(name, new PciAddress(Num("domain") ?? 0, b, s, f), false, null, null, null, null);
                case "usb_device":
                    return new NodeDevice(name, null, true, Id("vendor"), Id("product"), Num("bus"), Num("device"));
            }
        }
        return null;
    }

    private static int? ParseNumber(string? v)
    {
        v = v?.Trim();
        if (string.IsNullOrEmpty(v))
        {
            return null;
        }
        return v.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? int.TryParse(v[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int h) ? h : null
            : int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : null;
    }

    private static XElement PciHostdev(PciAddress a) =>
        new("hostdev", new XAttribute("mode", "subsystem"), new XAttribute("type", "pci"), new XAttribute("managed", "yes"),
            new XElement("source", new XElement("address",
                new XAttribute("domain", $"0x{a.Domain:x4}"), new XAttribute("bus", $"0x{a.Bus:x2}"),
                new XAttribute("slot", $"0x{a.Slot:x2}"), new XAttribute("function", $"0x{a.Function:x}"))));

    private static XElement UsbHostdev(NodeDevice d, bool ambiguous)
    {
        var source = new XElement("source");
        if (d.Vendor is int v && d.Product is int p)
        {
            source.Add(new XElement("vendor", new XAttribute("id", $"0x{v:x4}")), new XElement("product", new XAttribute("id", $"0x{p:x4}")));
        }
        if ((ambiguous || d.Vendor is null || d.Product is null) && d.Bus is int bus && d.Device is int dev)
        {
            source.Add(new XElement("address", new XAttribute("bus", bus.ToString(CultureInfo.InvariantCulture)), new XAttribute("device", dev.ToString(CultureInfo.InvariantCulture))));
        }
        return new XElement("hostdev", new XAttribute("mode", "subsystem"), new XAttribute("type", "usb"), new XAttribute("managed", "yes"), source);
    }

    /// <summary>A PCI or USB node device of the host.</summary>
    public sealed record NodeDevice(string Name, PciAddress? Pci, bool Usb, int? Vendor, int? Product, int? Bus, int? Device);
}

using System.Xml.Linq;

namespace KvmPS.Engine.Conversion;

/// <summary>NICs, host devices and the other devices of a domain, in KubeVirt's terms.</summary>
internal static class KubeVirtDeviceMapper
{
    private static readonly HashSet<string> s_models = new(StringComparer.Ordinal) { "virtio", "e1000", "e1000e", "igb", "ne2k_pci", "pcnet", "rtl8139" };

    public static void MapInterfaces(KubeVirtWork w, IReadOnlyDictionary<string, int> bootOrder)
    {
        bool pod = false;
        bool multiqueue = false;
        foreach (XElement nic in w.Domain.Element("devices")?.Elements("interface") ?? Enumerable.Empty<XElement>())
        {
            string type = (string?)nic.Attribute("type") ?? "";
            XElement? src = nic.Element("source");
            string? mac = (string?)nic.Element("mac")?.Attribute("address");
            string source = (string?)src?.Attribute("network") ?? (string?)src?.Attribute("bridge") ?? (string?)src?.Attribute("dev") ?? "";
            YamlMap iface;
            YamlMap network;
            if ((type is "network" or "user") && !pod)
            {
                pod = true;
                string n = w.UniqueName("default");
                iface = new YamlMap { { "name", n }, { "masquerade", new YamlMap() } };
                network = new YamlMap { { "name", n }, { "pod", new YamlMap() } };
                w.Note(type == "user" ? "User-mode NIC → masquerade on the pod network." : $"NIC on libvirt network '{source}' (NAT) → masquerade on the pod network.");
            }
            else if (type is "network" or "bridge" or "user")
            {
                string netName = type == "user" ? "user" : source;
                string n = w.UniqueName(netName);
                iface = new YamlMap { { "name", n }, { "bridge", new YamlMap() } };
                network = new YamlMap { { "name", n }, { "multus", new YamlMap { { "networkName", KubeVirtQuantity.DnsLabel(netName) } } } };
                w.Note($"NIC on {(type == "bridge" ? "host bridge" : "network")} '{netName}' → bridge binding on the Multus network {KubeVirtQuantity.DnsLabel(netName)}: a NetworkAttachmentDefinition of that name (bridge CNI) must exist.");
            }
            else
            {
                string mode = (string?)src?.Attribute("mode") is string md ? $" mode {md}" : "";
                w.Lost($"NIC of type {type}{(source.Length > 0 ? $" on {source}{mode}" : "")}{(mac is null ? "" : $" (MAC {mac})")}: KubeVirt has no such binding; use an SR-IOV or Multus network for it.");
                continue;
            }
            if (mac is not null)
            {
                iface.Add("macAddress", mac);
            }
            string? model = (string?)nic.Element("model")?.Attribute("type");
            if (model is not null)
            {
                if (s_models.Contains(model))
                {
                    iface.Add("model", model);
                }
                else
                {
                    w.Lost($"NIC model {model}: KubeVirt offers {string.Join(", ", s_models)}; the cluster's default is used.");
                }
            }
            if ((string?)nic.Element("link")?.Attribute("state") == "down")
            {
                iface.Add("state", "down");
            }
            if ((string?)nic.Element("boot")?.Attribute("order") is string order && int.TryParse(order, out int o))
            {
                iface.Add("bootOrder", o);
            }
            else if (bootOrder.TryGetValue("network", out int bo) && w.Interfaces.Count == 0)
            {
                iface.Add("bootOrder", bo);
            }
            if (int.TryParse((string?)nic.Element("driver")?.Attribute("queues"), out int q) && q > 1)
            {
                multiqueue = true;
            }
            // A name libvirt made up (vnetN; the test driver's testnetN) is no setting of the VM's.
            if ((string?)nic.Element("target")?.Attribute("dev") is string tap && !tap.StartsWith("vnet", StringComparison.Ordinal) && !tap.StartsWith("testnet", StringComparison.Ordinal))
            {
                w.Lost($"NIC target device name {tap}: the cluster names its own.");
            }
            w.Interfaces.Add(iface);
            w.Networks.Add(network);
        }
        if (multiqueue)
        {
            w.DomainSpec.Map("devices").Add("networkInterfaceMultiqueue", true);
            w.Note("Multi-queue virtio-net → networkInterfaceMultiqueue (one queue per vCPU).");
        }
    }

    public static void MapHostDevices(KubeVirtWork w)
    {
        var hostDevices = new List<object?>();
        var gpus = new List<object?>();
        foreach (XElement hd in w.Domain.Element("devices")?.Elements("hostdev") ?? Enumerable.Empty<XElement>())
        {
            string type = (string?)hd.Attribute("type") ?? "";
            XElement? src = hd.Element("source");
            if (type == "pci" && src?.Element("address") is XElement a)
            {
                string address = $"{Hex(a, "domain", 4)}:{Hex(a, "bus", 2)}:{Hex(a, "slot", 2)}.{Hex(a, "function", 1)}";
                KubeVirtPciInfo? info = w.Options.PciLookup(address);
                bool gpu = info?.IsGpu == true;
                string name = w.UniqueName(gpu ? $"gpu{gpus.Count}" : $"hostdev{hostDevices.Count}");
                string resource = info is null ? $"pci.kvmps.dev/{address.Replace(':', '_')}" : $"pci.kvmps.dev/{info.VendorId}_{info.ProductId}";
                (gpu ? gpus : hostDevices).Add(new YamlMap { { "name", name }, { "deviceName", resource } });
                w.Note(info is null
                    ? $"PCI device {address} → {(gpu ? "gpus" : "hostDevices")} {resource}: its vendor and product are unknown here; list it in KubeVirt's permittedHostDevices with its pciVendorSelector and this resourceName."
                    : $"PCI device {address} → {(gpu ? "gpus" : "hostDevices")} {resource}: permittedHostDevices needs pciVendorSelector \"{info.VendorId}:{info.ProductId}\" with resourceName {resource}.");
            }
            else if (type == "usb" && src?.Element("vendor") is XElement v && src.Element("product") is XElement p)
            {
                string vid = ((string?)v.Attribute("id") ?? "").Replace("0x", ""), pid = ((string?)p.Attribute("id") ?? "").Replace("0x", "");
                string resource = $"usb.kvmps.dev/{vid}_{pid}";
                hostDevices.Add(new YamlMap { { "name", w.UniqueName($"hostdev{hostDevices.Count}") }, { "deviceName", resource } });
                w.Note($"USB device {vid}:{pid} → hostDevices {resource}: permittedHostDevices.usb needs a selector vendor {vid}, product {pid} with this resourceName.");
            }
            else if (type == "mdev")
            {
                string uuid = (string?)src?.Element("address")?.Attribute("uuid") ?? "";
                string resource = "mdev.kvmps.dev/vgpu";
                gpus.Add(new YamlMap { { "name", w.UniqueName($"gpu{gpus.Count}") }, { "deviceName", resource } });
                w.Note($"Mediated device {uuid} → gpus {resource}: set the resourceName of its mdev type in permittedHostDevices.mediatedDevices.");
            }
            else
            {
                w.Lost($"Host device of type {type}{KubeVirtCpuMapper.Attrs(src ?? hd)}: KubeVirt passes through PCI, USB (by vendor and product) and mediated devices.");
            }
        }
        YamlMap devices = w.DomainSpec.Map("devices");
        if (gpus.Count > 0)
        {
            devices.Add("gpus", gpus);
        }
        if (hostDevices.Count > 0)
        {
            devices.Add("hostDevices", hostDevices);
        }
    }

    private static string Hex(XElement a, string attr, int width)
    {
        string s = (string?)a.Attribute(attr) ?? "0";
        int v = s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? Convert.ToInt32(s[2..], 16) : int.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
        return v.ToString("x" + width, System.Globalization.CultureInfo.InvariantCulture);
    }
}

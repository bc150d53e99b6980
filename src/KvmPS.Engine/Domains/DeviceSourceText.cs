using System.Xml.Linq;
using KvmPS.Engine.Devices;

namespace KvmPS.Engine.Domains;

/// <summary>
/// How a VM object names the source of a disk or host device that is not a local path: a network
/// disk as a URL (rbd://mon1:6789/pool/image), an NVMe disk by its PCI address, a USB, SCSI or
/// mediated host device by its ids. Pure.
/// </summary>
public static class DeviceSourceText
{
    /// <summary>The disk's source: a path, a pool/volume, or a URL for network and NVMe disks; null when it has none (an empty CD-ROM).</summary>
    public static string? Disk(XElement disk)
    {
        XElement? src = disk.Element("source");
        if (src is null)
        {
            return null;
        }
        string type = (string?)disk.Attribute("type") ?? "";
        if (type == "network")
        {
            string protocol = (string?)src.Attribute("protocol") ?? "network";
            var hosts = src.Elements("host").Select(Host).Where(h => h.Length > 0).ToList();
            string name = (string?)src.Attribute("name") ?? (string?)src.Attribute("query") ?? "";
            string tail = name.Length == 0 ? "" : "/" + name.TrimStart('/');
            return $"{protocol}://{string.Join(",", hosts)}{tail}";
        }
        if (type == "nvme" && PciAddress.FromXml(src.Element("address")) is PciAddress nvme)
        {
            return $"nvme://{nvme}/{(string?)src.Attribute("namespace") ?? "1"}";
        }
        return (string?)src.Attribute("file") ?? (string?)src.Attribute("dev") ?? (string?)src.Attribute("dir")
            ?? (string?)src.Attribute("volume") ?? (string?)src.Attribute("path");
    }

    private static string Host(XElement h)
    {
        if ((string?)h.Attribute("socket") is string socket)
        {
            return "unix:" + socket;
        }
        string name = (string?)h.Attribute("name") ?? "";
        string? port = (string?)h.Attribute("port");
        return port is null || name.Length == 0 ? name : (name.Contains(':') ? $"[{name}]" : name) + ":" + port;
    }

    /// <summary>Every host device passed through to the VM (PCI, USB, SCSI, SCSI host, mediated), in definition order.</summary>
    public static KvmPassthroughDevice[] HostDevices(XElement domain, string vm, string uri) =>
        (domain.Element("devices")?.Elements("hostdev") ?? Enumerable.Empty<XElement>()).Select(h => new KvmPassthroughDevice
        {
            VMName = vm,
            Type = (string?)h.Attribute("type") ?? "",
            Mode = (string?)h.Attribute("mode") ?? "subsystem",
            Managed = (string?)h.Attribute("managed") is string m ? m == "yes" : null,
            Source = HostDevice(h),
            Uri = uri,
        }).ToArray();

    /// <summary>What a host device is on the host, e.g. 0000:01:00.0, usb 046d:c52b, usb bus 1 device 3, scsi scsi_host0 0:0:0.</summary>
    public static string HostDevice(XElement hostdev)
    {
        string type = (string?)hostdev.Attribute("type") ?? "";
        XElement? src = hostdev.Element("source");
        XElement? addr = src?.Element("address");
        switch (type)
        {
            case "pci":
                return PciAddress.FromXml(addr)?.ToString() ?? "pci";
            case "usb":
            {
                string? vendor = (string?)src?.Element("vendor")?.Attribute("id");
                string? product = (string?)src?.Element("product")?.Attribute("id");
                var parts = new List<string>();
                if (vendor is not null || product is not null)
                {
                    parts.Add($"{Hex(vendor)}:{Hex(product)}");
                }
                if (addr is not null)
                {
                    parts.Add($"bus {(string?)addr.Attribute("bus")} device {(string?)addr.Attribute("device")}");
                }
                return "usb " + (parts.Count == 0 ? "?" : string.Join(", ", parts));
            }
            case "scsi":
                if ((string?)src?.Attribute("protocol") == "iscsi")
                {
                    return $"scsi iscsi://{string.Join(",", src!.Elements("host").Select(Host))}/{(string?)src.Attribute("name")}";
                }
                return $"scsi {(string?)src?.Element("adapter")?.Attribute("name")} {(string?)addr?.Attribute("bus")}:{(string?)addr?.Attribute("target")}:{(string?)addr?.Attribute("unit")}";
            case "scsi_host":
                return $"scsi_host {(string?)src?.Attribute("protocol")} {(string?)src?.Attribute("wwpn")}".TrimEnd();
            case "mdev":
                return $"mdev {(string?)addr?.Attribute("uuid")}";
            default:
                // Capabilities mode (storage, misc, net): the host path or interface.
                return $"{type} {(string?)src?.Element("block") ?? (string?)src?.Element("char") ?? (string?)src?.Element("interface")}".Trim();
        }
    }

    private static string Hex(string? id) => id is null ? "*" : id.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? id[2..] : id;
}

using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace KvmPS.Engine.Devices;

/// <summary>
/// Builds and finds device elements of a domain XML (pure: no libvirt call). The builders write
/// what the seed's tuning sections use: virtio-net with vhost and queues, virtio-blk/scsi with a
/// cache and io mode and discard=unmap, vfio host devices.
/// </summary>
public static partial class DeviceXml
{
    public static string Value(KvmDiskCache c) => c switch
    {
        KvmDiskCache.None => "none",
        KvmDiskCache.Writeback => "writeback",
        KvmDiskCache.Writethrough => "writethrough",
        KvmDiskCache.DirectSync => "directsync",
        KvmDiskCache.Unsafe => "unsafe",
        _ => throw new ArgumentOutOfRangeException(nameof(c)),
    };

    public static string Value(KvmDiskIO io) => io switch
    {
        KvmDiskIO.Native => "native",
        KvmDiskIO.Threads => "threads",
        KvmDiskIO.IoUring => "io_uring",
        _ => throw new ArgumentOutOfRangeException(nameof(io)),
    };

    public static string Value(KvmDiskBus b) => b.ToString().ToLowerInvariant();

    public static string Value(KvmNetworkModel m) => m.ToString().ToLowerInvariant();

    public static string Value(KvmNetworkDriver d) => d.ToString().ToLowerInvariant();

    /// <summary>The target prefix of a bus: vd for virtio, sd for the SCSI-like buses.</summary>
    public static string TargetPrefix(KvmDiskBus b) => b == KvmDiskBus.Virtio ? "vd" : "sd";

    [GeneratedRegex("^(vd|sd)[a-z]{1,3}$")]
    private static partial Regex TargetRegex();

    /// <summary>Why a target name does not fit a bus, or null when it does.</summary>
    public static string? CheckTarget(string target, KvmDiskBus bus)
    {
        if (!TargetRegex().IsMatch(target))
        {
            return $"'{target}' is not a disk target name (vda, vdb, ... for virtio; sda, sdb, ... for scsi, sata and usb).";
        }
        string prefix = TargetPrefix(bus);
        return target.StartsWith(prefix, StringComparison.Ordinal)
            ? null
            : $"Target '{target}' does not fit bus {bus}: its disks are named {prefix}a, {prefix}b, ...";
    }

    /// <summary>
    /// Why a cache/io pair cannot work, or null. io=native submits O_DIRECT requests, so QEMU
    /// refuses it unless the host page cache is bypassed (cache none or directsync).
    /// </summary>
    public static string? CheckCacheIO(string? cache, string? io) =>
        io == "native" && cache is not ("none" or "directsync")
            ? $"io=native needs cache=none or cache=directsync (the disk's cache is {cache ?? "the hypervisor default (writeback)"})."
            : null;

    /// <summary>Index to letters as disk targets count: 0 a, 25 z, 26 aa.</summary>
    public static string Letters(int i) =>
        i < 26 ? ((char)('a' + i)).ToString() : Letters(i / 26 - 1) + (char)('a' + i % 26);

    /// <summary>The first free target with the prefix, considering every given domain definition.</summary>
    public static string NextTarget(string prefix, params XElement?[] domains)
    {
        var used = domains.Where(d => d is not null).SelectMany(d => Disks(d!))
            .Select(d => (string?)d.Element("target")?.Attribute("dev")).OfType<string>().ToHashSet(StringComparer.Ordinal);
        for (int i = 0; ; i++)
        {
            string t = prefix + Letters(i);
            if (!used.Contains(t))
            {
                return t;
            }
        }
    }

    public static IEnumerable<XElement> Disks(XElement domain) =>
        domain.Element("devices")?.Elements("disk") ?? Enumerable.Empty<XElement>();

    public static IEnumerable<XElement> Nics(XElement domain) =>
        domain.Element("devices")?.Elements("interface") ?? Enumerable.Empty<XElement>();

    public static IEnumerable<XElement> PciHostdevs(XElement domain) =>
        (domain.Element("devices")?.Elements("hostdev") ?? Enumerable.Empty<XElement>())
            .Where(h => (string?)h.Attribute("type") == "pci");

    public static IEnumerable<PciAddress> PciHostdevAddresses(XElement domain) =>
        PciHostdevs(domain).Select(h => PciAddress.FromXml(h.Element("source")?.Element("address"))).OfType<PciAddress>();

    public static XElement? FindDisk(XElement domain, string target) =>
        Disks(domain).FirstOrDefault(d => (string?)d.Element("target")?.Attribute("dev") == target);

    public static XElement? FindNic(XElement domain, string mac) =>
        Nics(domain).FirstOrDefault(n => string.Equals((string?)n.Element("mac")?.Attribute("address"), mac, StringComparison.OrdinalIgnoreCase));

    public static XElement? FindPciHostdev(XElement domain, PciAddress address) =>
        PciHostdevs(domain).FirstOrDefault(h => PciAddress.FromXml(h.Element("source")?.Element("address")) == address);

    public static XElement BuildDisk(DiskSpec s)
    {
        var driver = new XElement("driver", new XAttribute("name", "qemu"), new XAttribute("type", s.Format));
        if (s.Cache is KvmDiskCache c)
        {
            driver.Add(new XAttribute("cache", Value(c)));
        }
        if (s.IO is KvmDiskIO io)
        {
            driver.Add(new XAttribute("io", Value(io)));
        }
        if (s.Discard)
        {
            driver.Add(new XAttribute("discard", "unmap"));
        }
        var disk = new XElement("disk",
            new XAttribute("type", s.IsBlockDevice ? "block" : "file"),
            new XAttribute("device", "disk"),
            driver,
            new XElement("source", new XAttribute(s.IsBlockDevice ? "dev" : "file", s.Path)),
            new XElement("target", new XAttribute("dev", s.Target), new XAttribute("bus", Value(s.Bus))));
        if (s.ReadOnly)
        {
            disk.Add(new XElement("readonly"));
        }
        if (s.DriveAddress is { } drive)
        {
            disk.Add(new XElement("address", new XAttribute("type", "drive"),
                new XAttribute("controller", drive.Controller.ToString(CultureInfo.InvariantCulture)),
                new XAttribute("bus", "0"), new XAttribute("target", "0"),
                new XAttribute("unit", drive.Unit.ToString(CultureInfo.InvariantCulture))));
        }
        return disk;
    }

    public static XElement BuildNic(NicSpec s)
    {
        XElement nic = s.Bridge is not null
            ? new XElement("interface", new XAttribute("type", "bridge"), new XElement("source", new XAttribute("bridge", s.Bridge)))
            : new XElement("interface", new XAttribute("type", "network"), new XElement("source", new XAttribute("network", s.Network ?? "default")));
        nic.Add(new XElement("mac", new XAttribute("address", s.MacAddress)));
        nic.Add(new XElement("model", new XAttribute("type", Value(s.Model))));
        SetNicDriver(nic, s.Driver, s.Queues);
        if (s.LinkState is KvmLinkState link)
        {
            SetLinkState(nic, link);
        }
        return nic;
    }

    /// <summary>Sets the backend and queue count; queues 1 (or none) means single-queue, which needs no attribute.</summary>
    public static void SetNicDriver(XElement nic, KvmNetworkDriver? driver, int? queues)
    {
        if (driver is null && queues is null)
        {
            return;
        }
        XElement d = nic.Element("driver") ?? AddChild(nic, new XElement("driver"));
        if (driver is KvmNetworkDriver dr)
        {
            d.SetAttributeValue("name", Value(dr));
        }
        else if (queues > 1 && d.Attribute("name") is null)
        {
            // Multiqueue as the tuning guides write it: with the vhost backend named.
            d.SetAttributeValue("name", "vhost");
        }
        if (queues is int q)
        {
            d.SetAttributeValue("queues", q > 1 ? q.ToString(CultureInfo.InvariantCulture) : null);
        }
        if (!d.HasAttributes && !d.HasElements)
        {
            d.Remove();
        }
    }

    public static void SetLinkState(XElement nic, KvmLinkState link)
    {
        nic.Element("link")?.Remove();
        if (link == KvmLinkState.Down)
        {
            nic.Add(new XElement("link", new XAttribute("state", "down")));
        }
    }

    public static void SetNicSource(XElement nic, string? network, string? bridge)
    {
        nic.Element("source")?.Remove();
        if (bridge is not null)
        {
            nic.SetAttributeValue("type", "bridge");
            nic.AddFirst(new XElement("source", new XAttribute("bridge", bridge)));
        }
        else if (network is not null)
        {
            nic.SetAttributeValue("type", "network");
            nic.AddFirst(new XElement("source", new XAttribute("network", network)));
        }
    }

    public static void SetNicModel(XElement nic, KvmNetworkModel model)
    {
        nic.Element("model")?.Remove();
        nic.Add(new XElement("model", new XAttribute("type", Value(model))));
    }

    /// <summary>Changes a disk's driver attributes and read-only flag; null leaves a setting as it is.</summary>
    public static void SetDiskOptions(XElement disk, KvmDiskCache? cache, KvmDiskIO? io, bool? discard, bool? readOnly)
    {
        // A driver element is made only for a setting that needs one: a same-value request on a
        // disk without one (a floppy, say) leaves the disk as it was.
        XElement? driver = disk.Element("driver");
        if (driver is null && (cache is not null || io is not null || discard == true))
        {
            driver = AddChild(disk, new XElement("driver", new XAttribute("name", "qemu")));
        }
        if (driver is not null)
        {
            if (cache is KvmDiskCache c)
            {
                driver.SetAttributeValue("cache", Value(c));
            }
            if (io is KvmDiskIO i)
            {
                driver.SetAttributeValue("io", Value(i));
            }
            if (discard is bool dis)
            {
                driver.SetAttributeValue("discard", dis ? "unmap" : null);
            }
        }
        if (readOnly is bool ro)
        {
            disk.Element("readonly")?.Remove();
            if (ro)
            {
                disk.Add(new XElement("readonly"));
            }
        }
    }

    /// <summary>A managed vfio PCI host device: libvirt detaches it from its host driver at start and gives it back at stop.</summary>
    public static XElement BuildPciHostdev(PciAddress address) =>
        new("hostdev", new XAttribute("mode", "subsystem"), new XAttribute("type", "pci"), new XAttribute("managed", "yes"),
            new XElement("driver", new XAttribute("name", "vfio")),
            new XElement("source", address.ToXml()));

    /// <summary>The index of the domain's first virtio-scsi controller, or null.</summary>
    public static int? VirtioScsiControllerIndex(XElement domain) =>
        Controllers(domain, "scsi").Where(c => (string?)c.Attribute("model") == "virtio-scsi")
            .Select(Index).OrderBy(i => i).Cast<int?>().FirstOrDefault();

    /// <summary>A free index for a new controller of the type.</summary>
    public static int NextControllerIndex(XElement domain, string type) =>
        Controllers(domain, type).Select(Index).DefaultIfEmpty(-1).Max() + 1;

    public static XElement BuildVirtioScsiController(int index) =>
        new("controller", new XAttribute("type", "scsi"), new XAttribute("index", index.ToString(CultureInfo.InvariantCulture)),
            new XAttribute("model", "virtio-scsi"));

    /// <summary>The lowest unit on bus 0, target 0 of a SCSI controller that no disk of the given definitions uses.</summary>
    public static int NextScsiUnit(int controller, params XElement?[] domains)
    {
        var used = domains.Where(d => d is not null).SelectMany(d => Disks(d!))
            .Select(d => d.Element("address"))
            .Where(a => a is not null && (string?)a.Attribute("type") == "drive"
                && Int(a, "controller") == controller && Int(a, "bus") == 0 && Int(a, "target") == 0)
            .Select(a => Int(a!, "unit"))
            .ToHashSet();
        int unit = 0;
        while (used.Contains(unit))
        {
            unit++;
        }
        return unit;
    }

    /// <summary>
    /// The device as a detach request: without the guest-side address, alias and runtime-only parts,
    /// so that libvirt matches it by what identifies it (disk target, MAC, host device source) in
    /// both the live and the persistent definition.
    /// </summary>
    public static XElement ForDetach(XElement device)
    {
        var copy = new XElement(device);
        copy.Elements("address").Remove();
        copy.Elements("alias").Remove();
        if (copy.Name == "interface")
        {
            copy.Elements("target").Remove();
            copy.Element("source")?.Attribute("portid")?.Remove();
            if ((string?)copy.Attribute("type") == "network")
            {
                copy.Element("source")?.Attribute("bridge")?.Remove();
            }
        }
        return copy;
    }

    /// <summary>A live device as an update request: the running definition without its alias.</summary>
    public static XElement ForUpdate(XElement device)
    {
        var copy = new XElement(device);
        copy.Elements("alias").Remove();
        return copy;
    }

    private static IEnumerable<XElement> Controllers(XElement domain, string type) =>
        (domain.Element("devices")?.Elements("controller") ?? Enumerable.Empty<XElement>())
            .Where(c => (string?)c.Attribute("type") == type);

    private static int Index(XElement controller) => Int(controller, "index") ?? 0;

    private static int? Int(XElement e, string attr) =>
        int.TryParse((string?)e.Attribute(attr), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : null;

    private static XElement AddChild(XElement parent, XElement child)
    {
        parent.Add(child);
        return child;
    }
}

using System.Globalization;
using System.Xml.Linq;

namespace KvmPS.Engine.Domains;

/// <summary>
/// Builds a domain XML from a VmSpec with the defaults virt-install uses for the same request:
/// ACPI/APIC, UTC clock with its timers, virtio disk and network, a memory balloon, virtio RNG, the
/// guest agent channel, a USB tablet with graphics, PCIe root ports on q35, CD-ROM first for an
/// install. Built with LINQ to XML only.
/// </summary>
public static class DomainXmlBuilder
{
    /// <summary>Free PCIe root ports virt-install leaves on q35 for hot-plug.</summary>
    private const int RootPorts = 14;

    public static XElement Build(VmSpec s)
    {
        var devices = new XElement("devices");
        var domain = new XElement("domain", new XAttribute("type", s.DomainType),
            new XElement("name", s.Name),
            new XElement("uuid", s.Uuid.ToString("D")));

        var metadata = new XElement("metadata");
        if (s.OsId is not null)
        {
            metadata.Add(new XElement(DomainXml.LibosinfoNs + "libosinfo",
                new XAttribute(XNamespace.Xmlns + "libosinfo", DomainXml.LibosinfoNs.NamespaceName),
                new XElement(DomainXml.LibosinfoNs + "os", new XAttribute("id", s.OsId))));
        }
        var owned = s.Disks.Where(d => d.Owned).Select(d => d.Path).ToList();
        if (owned.Count > 0 || s.OsShortId is not null)
        {
            metadata.Add(new XElement(DomainXml.KvmPSNs + "kvmps",
                new XAttribute(XNamespace.Xmlns + "kvmps", DomainXml.KvmPSNs.NamespaceName),
                s.OsShortId is null ? null : new XElement(DomainXml.KvmPSNs + "os", new XAttribute("short-id", s.OsShortId)),
                owned.Select(p => new XElement(DomainXml.KvmPSNs + "owned", new XAttribute("path", p), new XAttribute("owner", s.Uuid.ToString("D"))))));
        }
        if (s.Description is not null)
        {
            domain.Add(new XElement("description", s.Description));
        }
        if (metadata.HasElements)
        {
            domain.Add(metadata);
        }

        string kib = (s.MemoryBytes / 1024).ToString(CultureInfo.InvariantCulture);
        domain.Add(
            new XElement("memory", new XAttribute("unit", "KiB"), kib),
            new XElement("currentMemory", new XAttribute("unit", "KiB"), kib),
            new XElement("vcpu", new XAttribute("placement", "static"), s.VCpuCount.ToString(CultureInfo.InvariantCulture)));

        domain.Add(BuildOs(s));
        domain.Add(new XElement("features", new XElement("acpi"), new XElement("apic")));
        if (s.CpuMode is not null)
        {
            Tuning.CpuXml.GetOrCreateCpuElement(domain).SetAttributeValue("mode", s.CpuMode);
        }
        domain.Add(new XElement("clock", new XAttribute("offset", "utc"),
            new XElement("timer", new XAttribute("name", "rtc"), new XAttribute("tickpolicy", "catchup")),
            new XElement("timer", new XAttribute("name", "pit"), new XAttribute("tickpolicy", "delay")),
            new XElement("timer", new XAttribute("name", "hpet"), new XAttribute("present", "no"))));
        domain.Add(
            new XElement("on_poweroff", "destroy"),
            new XElement("on_reboot", "restart"),
            new XElement("on_crash", "destroy"));
        if (s.IsQemu)
        {
            domain.Add(new XElement("pm",
                new XElement("suspend-to-mem", new XAttribute("enabled", "no")),
                new XElement("suspend-to-disk", new XAttribute("enabled", "no"))));
        }
        domain.Add(devices);

        bool q35 = s.Machine is not null && s.Machine.Contains("q35", StringComparison.Ordinal);
        AddDisks(devices, s, q35);
        if (s.IsQemu)
        {
            devices.Add(new XElement("controller", new XAttribute("type", "usb"), new XAttribute("model", "qemu-xhci"), new XAttribute("ports", "15")));
            if (q35)
            {
                devices.Add(new XElement("controller", new XAttribute("type", "pci"), new XAttribute("model", "pcie-root")));
                for (int i = 0; i < RootPorts; i++)
                {
                    devices.Add(new XElement("controller", new XAttribute("type", "pci"), new XAttribute("model", "pcie-root-port")));
                }
            }
        }
        foreach (VmNicSpec nic in s.Nics)
        {
            devices.Add(BuildNic(nic, s, q35));
        }
        AddConsole(devices, s);
        if (s.IsQemu)
        {
            devices.Add(new XElement("channel", new XAttribute("type", "unix"),
                new XElement("source", new XAttribute("mode", "bind")),
                new XElement("target", new XAttribute("type", "virtio"), new XAttribute("name", "org.qemu.guest_agent.0"))));
        }
        if (s.Graphics != VmGraphics.None)
        {
            if (s.IsQemu)
            {
                devices.Add(new XElement("input", new XAttribute("type", "tablet"), new XAttribute("bus", "usb")));
            }
            var g = new XElement("graphics", new XAttribute("type", s.Graphics == VmGraphics.Spice ? "spice" : "vnc"),
                new XAttribute("port", "-1"), new XAttribute("autoport", "yes"));
            if (s.GraphicsListen is not null)
            {
                g.Add(new XAttribute("listen", s.GraphicsListen),
                    new XElement("listen", new XAttribute("type", "address"), new XAttribute("address", s.GraphicsListen)));
            }
            devices.Add(g);
            if (s.Graphics == VmGraphics.Spice && s.IsQemu)
            {
                devices.Add(new XElement("channel", new XAttribute("type", "spicevmc"),
                    new XElement("target", new XAttribute("type", "virtio"), new XAttribute("name", "com.redhat.spice.0"))));
            }
            devices.Add(new XElement("video", new XElement("model",
                new XAttribute("type", s.Graphics == VmGraphics.Spice ? "qxl" : "vga"))));
        }
        if (s.IsQemu)
        {
            devices.Add(new XElement("memballoon", new XAttribute("model", "virtio")));
            devices.Add(new XElement("rng", new XAttribute("model", "virtio"),
                new XElement("backend", new XAttribute("model", "random"), "/dev/urandom")));
        }
        return domain;
    }

    private static XElement BuildOs(VmSpec s)
    {
        var type = new XElement("type", "hvm");
        if (s.IsQemu)
        {
            type.Add(new XAttribute("arch", s.Arch));
            if (s.Machine is not null)
            {
                type.Add(new XAttribute("machine", s.Machine));
            }
        }
        var os = new XElement("os", type);
        if (s.Firmware == VmFirmware.Uefi)
        {
            os.Add(new XAttribute("firmware", "efi"));
        }
        if (s.Kernel is not null)
        {
            os.Add(new XElement("kernel", s.Kernel));
            if (s.Initrd is not null)
            {
                os.Add(new XElement("initrd", s.Initrd));
            }
            if (s.KernelArgs is not null)
            {
                os.Add(new XElement("cmdline", s.KernelArgs));
            }
        }
        else
        {
            bool hasCdrom = s.Disks.Any(d => d.Device == "cdrom");
            if (s.CdromFirst && hasCdrom)
            {
                os.Add(new XElement("boot", new XAttribute("dev", "cdrom")));
            }
            os.Add(new XElement("boot", new XAttribute("dev", "hd")));
        }
        return os;
    }

    private static void AddDisks(XElement devices, VmSpec s, bool q35)
    {
        // Target names counted per prefix, as virt-install does: vd for virtio, hd for IDE, sd for
        // SATA, SCSI and USB (an IDE CD-ROM after an IDE disk is hdb, whatever SATA disks there are).
        var next = new Dictionary<string, int>(StringComparer.Ordinal);
        string Dev(string prefix)
        {
            int i = next.GetValueOrDefault(prefix);
            next[prefix] = i + 1;
            return prefix + Letter(i);
        }
        foreach (VmDiskSpec d in s.Disks)
        {
            bool cdrom = d.Device == "cdrom";
            string bus, dev;
            if (d.Options?.Bus is string wanted)
            {
                bus = wanted;
                dev = Dev(wanted == "virtio" ? "vd" : wanted == "ide" ? "hd" : "sd");
            }
            else if (!cdrom && s.VirtioDisk)
            {
                bus = "virtio";
                dev = Dev("vd");
            }
            else if (q35 || !s.IsQemu)
            {
                bus = "sata";
                dev = Dev("sd");
            }
            else
            {
                bus = "ide";
                dev = Dev("hd");
            }
            var driver = new XElement("driver", new XAttribute("name", "qemu"), new XAttribute("type", cdrom ? "raw" : d.Format));
            // Like virt-install: discard=unmap on images made for this VM (sparse by design), not
            // on existing disks whose owner may rely on their allocation.
            if (!cdrom && (d.Options?.Cache ?? s.DiskCache) is string cache)
            {
                driver.Add(new XAttribute("cache", cache));
            }
            if (!cdrom && (d.Options?.IO ?? s.DiskIO) is string io)
            {
                driver.Add(new XAttribute("io", io));
            }
            if (!cdrom && (d.Options?.Discard ?? (s.IsQemu && d.Owned ? "unmap" : null)) is string discard)
            {
                driver.Add(new XAttribute("discard", discard));
            }
            var disk = new XElement("disk", new XAttribute("type", "file"), new XAttribute("device", d.Device),
                driver,
                new XElement("source", new XAttribute("file", d.Path)),
                new XElement("target", new XAttribute("dev", dev), new XAttribute("bus", bus)));
            if (cdrom || d.ReadOnly || d.Options?.ReadOnly == true)
            {
                disk.Add(new XElement("readonly"));
            }
            devices.Add(disk);
        }
    }

    private static XElement BuildNic(VmNicSpec nic, VmSpec s, bool q35)
    {
        XElement iface = nic.Bridge is not null
            ? new XElement("interface", new XAttribute("type", "bridge"), new XElement("source", new XAttribute("bridge", nic.Bridge)))
            : new XElement("interface", new XAttribute("type", "network"), new XElement("source", new XAttribute("network", nic.Network ?? "default")));
        if (nic.MacAddress is not null)
        {
            iface.Add(new XElement("mac", new XAttribute("address", nic.MacAddress)));
        }
        string model = s.VirtioNet ? "virtio" : q35 ? "e1000e" : "e1000";
        iface.Add(new XElement("model", new XAttribute("type", model)));
        if (s.VirtioNet && s.NicQueues is int queues)
        {
            iface.Add(new XElement("driver", new XAttribute("name", "vhost"), new XAttribute("queues", queues)));
        }
        return iface;
    }

    private static void AddConsole(XElement devices, VmSpec s)
    {
        // A pty serial console; with a log path, virtlogd also writes everything to the file.
        var serial = new XElement("serial", new XAttribute("type", "pty"),
            new XElement("target", new XAttribute("port", "0")));
        if (s.SerialLogPath is not null)
        {
            serial.Add(new XElement("log", new XAttribute("file", s.SerialLogPath), new XAttribute("append", "off")));
        }
        devices.Add(serial);
        devices.Add(new XElement("console", new XAttribute("type", "pty"),
            new XElement("target", new XAttribute("type", "serial"), new XAttribute("port", "0"))));
    }

    private static string Letter(int i) =>
        i < 26 ? ((char)('a' + i)).ToString() : Letter(i / 26 - 1) + (char)('a' + i % 26);
}

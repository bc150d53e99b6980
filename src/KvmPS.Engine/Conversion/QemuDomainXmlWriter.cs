using System.Xml.Linq;

namespace KvmPS.Engine.Conversion;

/// <summary>Writes a <see cref="QemuVmModel"/> as libvirt domain XML (what Import-KvmVM defines).</summary>
public static class QemuDomainXmlWriter
{
    public static XElement Write(QemuVmModel vm, string name)
    {
        bool q35 = vm.Machine is string mt && (mt == "q35" || mt.StartsWith("pc-q35", StringComparison.Ordinal));
        var os = new XElement("os", new XElement("type", new XAttribute("arch", Arch(vm.Emulator)), vm.Machine is null ? null : new XAttribute("machine", vm.Machine), "hvm"));
        if (vm.Kernel is not null)
        {
            os.Add(new XElement("kernel", vm.Kernel));
            os.Add(vm.Initrd is null ? null : new XElement("initrd", vm.Initrd));
            os.Add(vm.Append is null ? null : new XElement("cmdline", vm.Append));
        }
        bool perDeviceBoot = vm.Disks.Any(d => d.BootIndex is not null);
        if (!perDeviceBoot)
        {
            foreach (char c in (vm.BootOrder ?? "c").Distinct())
            {
                string? dev = c switch { 'c' => "hd", 'd' => "cdrom", 'n' => "network", 'a' => "fd", _ => null };
                os.Add(dev is null ? null : new XElement("boot", new XAttribute("dev", dev)));
            }
        }
        var domain = new XElement("domain", new XAttribute("type", vm.Kvm ? "kvm" : "qemu"),
            new XElement("name", name),
            vm.Uuid is Guid u ? new XElement("uuid", u.ToString()) : null,
            new XElement("memory", new XAttribute("unit", "KiB"), vm.MemoryBytes / 1024),
            new XElement("vcpu", new XAttribute("placement", "static"), vm.MaxVCpus is int max && max > vm.VCpus ? new XAttribute("current", vm.VCpus) : null, vm.MaxVCpus ?? vm.VCpus),
            os,
            // QEMU's PC machines have ACPI and an APIC unless told otherwise; libvirt's only when asked.
            new XElement("features", new XElement("acpi"), new XElement("apic")),
            Cpu(vm),
            new XElement("clock", new XAttribute("offset", "utc")),
            Devices(vm, q35));
        return domain;
    }

    private static string Arch(string? emulator) =>
        emulator is string e && Path.GetFileName(e) is var f && f.StartsWith("qemu-system-", StringComparison.Ordinal) ? f["qemu-system-".Length..] : "x86_64";

    private static XElement? Cpu(QemuVmModel vm)
    {
        if (vm.CpuModel is null && vm.Sockets is null && vm.NumaCells.Count == 0 && vm.CpuFeatures.Count == 0)
        {
            return null;
        }
        var cpu = new XElement("cpu");
        switch (vm.CpuModel)
        {
            case "host":
                cpu.Add(new XAttribute("mode", "host-passthrough"), new XAttribute("check", "none"));
                break;
            case "max":
                cpu.Add(new XAttribute("mode", "maximum"), new XAttribute("check", "none"));
                break;
            case null:
                break;
            default:
                cpu.Add(new XAttribute("mode", "custom"), new XAttribute("match", "exact"), new XAttribute("check", "none"),
                    new XElement("model", new XAttribute("fallback", "forbid"), vm.CpuModel));
                break;
        }
        if (vm.Sockets is int s)
        {
            cpu.Add(new XElement("topology", new XAttribute("sockets", s), new XAttribute("dies", vm.Dies ?? 1), new XAttribute("cores", vm.Cores ?? 1), new XAttribute("threads", vm.Threads ?? 1)));
        }
        foreach (var (fname, policy) in vm.CpuFeatures)
        {
            cpu.Add(new XElement("feature", new XAttribute("policy", policy), new XAttribute("name", fname)));
        }
        if (vm.NumaCells.Count > 0)
        {
            cpu.Add(new XElement("numa", vm.NumaCells.OrderBy(c => c.Id).Select(c =>
                new XElement("cell", new XAttribute("id", c.Id), new XAttribute("cpus", c.Cpus), new XAttribute("memory", c.MemoryBytes / 1024), new XAttribute("unit", "KiB")))));
        }
        return cpu;
    }

    private static XElement Devices(QemuVmModel vm, bool q35)
    {
        var devices = new XElement("devices");
        if (vm.Emulator is string e && e.StartsWith('/'))
        {
            devices.Add(new XElement("emulator", e));
        }
        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (QemuDisk d in vm.Disks)
        {
            string bus = d.Bus == "ide" && q35 ? "sata" : d.Bus;
            string prefix = bus switch { "virtio" => "vd", "ide" => "hd", _ => "sd" };
            int n = used.TryGetValue(prefix, out int k) ? k : 0;
            used[prefix] = n + 1;
            bool block = d.Path?.StartsWith("/dev/", StringComparison.Ordinal) == true;
            var disk = new XElement("disk", new XAttribute("type", block ? "block" : "file"), new XAttribute("device", d.Device));
            var driver = new XElement("driver", new XAttribute("name", "qemu"), new XAttribute("type", d.Format ?? (d.Device == "cdrom" ? "raw" : "raw")));
            driver.Add(d.Cache is null ? null : new XAttribute("cache", d.Cache), d.IO is null ? null : new XAttribute("io", d.IO));
            disk.Add(driver);
            if (d.Path is not null)
            {
                disk.Add(new XElement("source", new XAttribute(block ? "dev" : "file", d.Path)));
            }
            disk.Add(new XElement("target", new XAttribute("dev", prefix + (char)('a' + n)), new XAttribute("bus", bus)));
            disk.Add(d.BootIndex is int bi ? new XElement("boot", new XAttribute("order", bi)) : null);
            disk.Add(d.ReadOnly ? new XElement("readonly") : null);
            disk.Add(d.Serial is null ? null : new XElement("serial", d.Serial));
            devices.Add(disk);
        }
        foreach (QemuNic nic in vm.Nics)
        {
            string type = nic.Backend switch { "tap" => "ethernet", "bridge" => "bridge", _ => "user" };
            var iface = new XElement("interface", new XAttribute("type", type));
            iface.Add(nic.Mac is null ? null : new XElement("mac", new XAttribute("address", nic.Mac)));
            iface.Add(type == "bridge" ? new XElement("source", new XAttribute("bridge", nic.Source!)) : null);
            iface.Add(type == "ethernet" && nic.Source is not null ? new XElement("target", new XAttribute("dev", nic.Source), new XAttribute("managed", "no")) : null);
            iface.Add(new XElement("model", new XAttribute("type", nic.Model ?? "e1000")));
            if (nic.Vhost || nic.Queues is not null)
            {
                iface.Add(new XElement("driver", nic.Vhost ? new XAttribute("name", "vhost") : null, nic.Queues is int q ? new XAttribute("queues", q) : null));
            }
            devices.Add(iface);
        }
        foreach (string a in vm.PciHostDevices)
        {
            string[] p = a.Split(':', '.');
            devices.Add(new XElement("hostdev", new XAttribute("mode", "subsystem"), new XAttribute("type", "pci"), new XAttribute("managed", "yes"),
                new XElement("source", new XElement("address", new XAttribute("domain", "0x" + p[0]), new XAttribute("bus", "0x" + p[1]),
                    new XAttribute("slot", "0x" + p[2]), new XAttribute("function", "0x" + p[3])))));
        }
        if (vm.Serial is string serial)
        {
            if (serial.StartsWith("file:", StringComparison.Ordinal))
            {
                devices.Add(new XElement("serial", new XAttribute("type", "file"), new XElement("source", new XAttribute("path", serial[5..])), new XElement("target", new XAttribute("port", 0))));
            }
            else
            {
                devices.Add(new XElement("serial", new XAttribute("type", "pty"), new XElement("target", new XAttribute("port", 0))));
            }
            devices.Add(new XElement("console", new XAttribute("type", serial.StartsWith("file:", StringComparison.Ordinal) ? "file" : "pty"),
                serial.StartsWith("file:", StringComparison.Ordinal) ? new XElement("source", new XAttribute("path", serial[5..])) : null,
                new XElement("target", new XAttribute("type", "serial"), new XAttribute("port", 0))));
        }
        if (vm.UsbTablet)
        {
            devices.Add(new XElement("input", new XAttribute("type", "tablet"), new XAttribute("bus", "usb")));
        }
        if (vm.Graphics && vm.VncPort is int port)
        {
            devices.Add(new XElement("graphics", new XAttribute("type", "vnc"), new XAttribute("port", port), new XAttribute("autoport", "no"), new XAttribute("listen", vm.VncListen ?? "127.0.0.1")));
        }
        // QEMU's command line has no balloon unless one is asked for; libvirt adds one unless told not to.
        devices.Add(new XElement("memballoon", new XAttribute("model", "none")));
        return devices;
    }
}

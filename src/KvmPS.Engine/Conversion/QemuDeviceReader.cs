using System.Text.Json;
using System.Text.RegularExpressions;

namespace KvmPS.Engine.Conversion;

/// <summary>
/// The device options of a QEMU command line (-object, -numa, -drive, -blockdev, -device, -netdev,
/// -nic, -chardev, -serial, -display, -vnc, -cdrom, -hda...), which refer to each other by id: a
/// -device names its -drive or -netdev, a -numa node its memory backend.
/// </summary>
internal sealed class QemuDeviceReader
{
    private static readonly HashSet<string> s_nicModels = new(StringComparer.Ordinal) { "virtio-net-pci", "virtio-net", "e1000", "e1000e", "rtl8139", "vmxnet3", "ne2k_pci", "pcnet", "igb" };

    // -device drivers that are buses, controllers and video: libvirt adds its own.
    private static readonly HashSet<string> s_plumbing = new(StringComparer.Ordinal)
    {
        "pcie-root-port", "pcie-pci-bridge", "pci-bridge", "qemu-xhci", "nec-usb-xhci", "piix3-usb-uhci", "ich9-usb-ehci1", "ich9-usb-uhci1",
        "usb-ehci", "virtio-serial-pci", "virtio-scsi-pci", "virtio-balloon-pci", "VGA", "cirrus-vga", "qxl-vga", "virtio-vga", "bochs-display",
        "virtio-gpu-pci", "usb-kbd", "usb-mouse", "ahci", "ich9-ahci", "virtserialport", "virtconsole", "pvpanic",
    };

    private readonly QemuVmModel _vm;
    private readonly Dictionary<string, ulong> _backends = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QemuDisk> _drives = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QemuOptionValue> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QemuNic> _netdevs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _chardevs = new(StringComparer.Ordinal);

    public QemuDeviceReader(QemuVmModel vm) => _vm = vm;

    public void Read(string opt, string value)
    {
        switch (opt)
        {
            case "object": Object(value); break;
            case "numa": Numa(value); break;
            case "drive": Drive(value); break;
            case "blockdev": Blockdev(value); break;
            case "device": Device(value); break;
            case "netdev": Netdev(QemuOptionValue.Parse("-netdev", value, "type"), "-netdev " + value); break;
            case "nic": Nic(value); break;
            case "net": _vm.Unknown.Add($"-net {value}: the legacy -net syntax is not read; use -netdev with -device, or -nic"); break;
            case "chardev":
                var c = QemuOptionValue.Parse("-chardev", value, "backend");
                if (c["id"] is string cid)
                {
                    _chardevs[cid] = c.Implied == "file" ? "file:" + c["path"] : c.Implied ?? "";
                }
                _vm.Mapped.Add($"-chardev {value}: read for the devices that use it");
                break;
            case "serial": QemuConsoleOptions.Serial(_vm, value); break;
            case "display": QemuConsoleOptions.Display(_vm, value); break;
            case "vnc": QemuConsoleOptions.Vnc(_vm, value); break;
            case "cdrom": AddDisk(new QemuDisk { Path = value, Device = "cdrom", Bus = "ide", ReadOnly = true, Attached = true }, "-cdrom"); break;
            default: AddDisk(new QemuDisk { Path = value, Bus = "ide", Attached = true }, "-" + opt); break;
        }
    }

    private void Object(string value)
    {
        var o = QemuOptionValue.Parse("-object", value, "qom-type");
        string type = o.Implied ?? "";
        if (type.StartsWith("memory-backend-", StringComparison.Ordinal) && o["id"] is string id)
        {
            _backends[id] = o["size"] is string s && QemuSize.Parse(s, 1) is ulong b ? b
                : throw new QemuCommandLineException("QemuBadMemory", $"-object {type} '{id}': size '{o["size"]}' is not a size.");
            _vm.Mapped.Add($"-object {type} id={id} → memory of the NUMA node that uses it");
            if (o["mem-path"] is string mp && mp.Contains("huge", StringComparison.OrdinalIgnoreCase))
            {
                _vm.Unknown.Add($"-object {type} mem-path={mp}: huge page backing is not carried (Set-KvmMemory -HugePageSize after import)");
            }
        }
        else if (type is "secret" or "iothread" or "rng-random" or "rng-builtin")
        {
            _vm.Mapped.Add($"-object {type}: libvirt makes its own");
        }
        else
        {
            _vm.Unknown.Add($"-object {value}");
        }
    }

    private void Numa(string value)
    {
        var n = QemuOptionValue.Parse("-numa", value, "type");
        if (n.Implied != "node")
        {
            _vm.Unknown.Add($"-numa {value}: only -numa node is read");
            return;
        }
        int id = n["nodeid"] is string nid ? (int.TryParse(nid, out int v) && v >= 0 ? v : throw new QemuCommandLineException("QemuBadNuma", $"-numa {value}: nodeid '{nid}' is not a number.")) : _vm.NumaCells.Count;
        var cpus = n.Pairs.Where(p => p.Key == "cpus").Select(p => p.Value).ToList();
        if (cpus.Count == 0)
        {
            throw new QemuCommandLineException("QemuBadNuma", $"-numa {value}: the node names no cpus.");
        }
        string cpuset = string.Join(",", cpus);
        try
        {
            cpuset = CpuSet.Format(CpuSet.Parse(cpuset));
        }
        catch (FormatException)
        {
            throw new QemuCommandLineException("QemuBadNuma", $"-numa {value}: cpus '{cpuset}' is not a CPU list (e.g. 0-3).");
        }
        ulong mem;
        if (n["memdev"] is string md)
        {
            mem = _backends.TryGetValue(md, out ulong b) ? b : throw new QemuCommandLineException("QemuBadNuma", $"-numa {value}: memdev '{md}' is not an -object memory-backend given before it.");
        }
        else if (n["mem"] is string ms)
        {
            mem = QemuSize.Parse(ms, 1UL << 20) ?? throw new QemuCommandLineException("QemuBadNuma", $"-numa {value}: mem '{ms}' is not a size.");
        }
        else
        {
            throw new QemuCommandLineException("QemuBadNuma", $"-numa {value}: the node has neither memdev nor mem.");
        }
        _vm.NumaCells.Add(new QemuNumaCell { Id = id, Cpus = cpuset, MemoryBytes = mem, MemDev = n["memdev"] });
        _vm.Mapped.Add($"-numa node {id} → NUMA cell {id}: vCPUs {cpuset}, {mem} bytes");
    }

    private void Drive(string value)
    {
        var d = QemuOptionValue.Parse("-drive", value);
        string media = d["media"] ?? "disk";
        string iface = d["if"] ?? "ide";
        string? file = d["file"];
        if (file is null && media != "cdrom")
        {
            throw new QemuCommandLineException("QemuBadDrive", $"-drive {value}: a disk drive needs file=.");
        }
        var disk = new QemuDisk
        {
            Id = d["id"], Path = file, Device = media == "cdrom" ? "cdrom" : "disk", Format = d["format"], ReadOnly = d["readonly"] is "on" or "true" || media == "cdrom",
            Bus = iface switch { "virtio" => "virtio", "scsi" => "scsi", "ide" => "ide", "none" => "none", _ => iface }, Attached = iface != "none",
            Cache = d["cache"], IO = d["aio"], Serial = d["serial"],
        };
        if (disk.Cache is string cache && cache is not ("none" or "writeback" or "writethrough" or "directsync" or "unsafe"))
        {
            throw new QemuCommandLineException("QemuBadDrive", $"-drive {value}: cache '{cache}' is not none, writeback, writethrough, directsync or unsafe.");
        }
        if (disk.IO is string aio && aio is not ("threads" or "native" or "io_uring"))
        {
            throw new QemuCommandLineException("QemuBadDrive", $"-drive {value}: aio '{aio}' is not threads, native or io_uring.");
        }
        if (disk.Bus is not ("virtio" or "scsi" or "ide" or "none"))
        {
            _vm.Unknown.Add($"-drive if={iface}: that interface is not read; the drive is left out");
            return;
        }
        foreach (var p in d.Pairs.Where(p => p.Key is not ("file" or "format" or "if" or "media" or "cache" or "aio" or "readonly" or "id" or "index" or "serial")))
        {
            _vm.Unknown.Add($"-drive {p.Key}={p.Value}: not carried");
        }
        AddDisk(disk, "-drive");
    }

    private void AddDisk(QemuDisk disk, string from)
    {
        if (disk.Id is not null)
        {
            _drives[disk.Id] = disk;
        }
        _vm.Disks.Add(disk);
        _vm.Mapped.Add($"{from} {disk.Path} → {disk.Device} on {disk.Bus}" + (disk.Format is null ? "" : $", format {disk.Format}") +
            (disk.Cache is null ? "" : $", cache {disk.Cache}") + (disk.IO is null ? "" : $", io {disk.IO}"));
    }

    private void Blockdev(string value)
    {
        var b = QemuOptionValue.Parse("-blockdev", value, "driver");
        string node = b["node-name"] ?? throw new QemuCommandLineException("QemuBadDrive", $"-blockdev {value}: node-name is missing.");
        _nodes[node] = b;
        _vm.Mapped.Add($"-blockdev {b.Implied} {node}: read for the -device that uses it");
    }

    // A format node (qcow2, raw) over a protocol node (file, host_device): the disk's path,
    // format, cache and aio come from both.
    private QemuDisk DiskOfNode(string node, QemuOptionValue device)
    {
        _nodes.TryGetValue(node, out QemuOptionValue? top);
        QemuOptionValue? proto = top?["file"] is string f && _nodes.TryGetValue(f, out var p) ? p : top;
        string? format = top is not null && top != proto ? top.Implied : proto?.Implied is "file" or "host_device" ? "raw" : proto?.Implied;
        bool direct = Flag(proto, "cache", "direct") || Flag(top, "cache", "direct");
        bool noFlush = Flag(proto, "cache", "no-flush") || Flag(top, "cache", "no-flush");
        bool writeCache = device["write-cache"] is not "off";
        string cache = noFlush ? "unsafe" : direct ? (writeCache ? "none" : "directsync") : (writeCache ? "writeback" : "writethrough");
        return new QemuDisk
        {
            Id = node, Path = proto?["filename"], Format = format, IO = proto?["aio"], Cache = cache,
            ReadOnly = top?["read-only"] is "on" || proto?["read-only"] is "on",
        };
    }

    private static bool Flag(QemuOptionValue? v, string obj, string key)
    {
        if (v is null)
        {
            return false;
        }
        if (v[$"{obj}.{key}"] is string dotted)
        {
            return dotted is "on" or "true";
        }
        if (v[obj] is string json && json.StartsWith('{'))
        {
            using JsonDocument doc = JsonDocument.Parse(json);
            return doc.RootElement.TryGetProperty(key, out JsonElement e) && e.ValueKind == JsonValueKind.True;
        }
        return false;
    }

    private void Device(string value)
    {
        var d = QemuOptionValue.Parse("-device", value, "driver");
        string driver = d.Implied ?? throw new QemuCommandLineException("QemuBadDevice", $"-device {value}: no driver.");
        string? bus = driver switch
        {
            "virtio-blk-pci" or "virtio-blk" => "virtio",
            "scsi-hd" or "scsi-cd" => "scsi",
            "ide-hd" or "ide-cd" => "ide",
            _ => null,
        };
        if (bus is not null)
        {
            string drive = d["drive"] ?? throw new QemuCommandLineException("QemuBadDevice", $"-device {value}: drive= is missing.");
            QemuDisk disk;
            if (_drives.TryGetValue(drive, out QemuDisk? known))
            {
                disk = known;
            }
            else if (_nodes.ContainsKey(drive))
            {
                disk = DiskOfNode(drive, d);
                _vm.Disks.Add(disk);
            }
            else
            {
                throw new QemuCommandLineException("QemuUnknownDrive", $"-device {value}: drive '{drive}' is neither a -drive id nor a -blockdev node-name given before it.");
            }
            disk.Bus = bus;
            disk.Attached = true;
            if (driver is "scsi-cd" or "ide-cd")
            {
                disk.Device = "cdrom";
                disk.ReadOnly = true;
            }
            disk.BootIndex = int.TryParse(d["bootindex"], out int bi) ? bi : disk.BootIndex;
            disk.Serial = d["serial"] ?? disk.Serial;
            _vm.Mapped.Add($"-device {driver} drive={drive} → {disk.Device} {disk.Path} on {bus}");
            return;
        }
        if (s_nicModels.Contains(driver))
        {
            string nd = d["netdev"] ?? throw new QemuCommandLineException("QemuBadDevice", $"-device {value}: netdev= is missing.");
            QemuNic nic = _netdevs.TryGetValue(nd, out QemuNic? n) ? n : throw new QemuCommandLineException("QemuUnknownNetdev", $"-device {value}: netdev '{nd}' is not a -netdev id given before it.");
            nic.HasDevice = true;
            nic.Model = driver is "virtio-net-pci" or "virtio-net" ? "virtio" : driver.Replace("_", "-") is var m && m == "ne2k-pci" ? "ne2k_pci" : driver;
            nic.Mac = d["mac"] is string mac ? (MacAddressText.IsValid(mac) ? mac.ToLowerInvariant() : throw new QemuCommandLineException("QemuBadMac", $"-device {value}: mac '{mac}' is not a MAC address.")) : null;
            _vm.Mapped.Add($"-device {driver} netdev={nd} → NIC model {nic.Model}" + (nic.Mac is null ? "" : $", MAC {nic.Mac}"));
            return;
        }
        switch (driver)
        {
            case "vfio-pci":
                string host = d["host"] ?? throw new QemuCommandLineException("QemuBadDevice", $"-device {value}: host= is missing (sysfsdev= is not read).");
                Match pm = Regex.Match(host, @"^(?:([0-9a-fA-F]{4}):)?([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\.([0-7])$");
                if (!pm.Success)
                {
                    throw new QemuCommandLineException("QemuBadPciAddress", $"-device {value}: host '{host}' is not a PCI address (e.g. 01:00.0 or 0000:01:00.0).");
                }
                string address = $"{(pm.Groups[1].Success ? pm.Groups[1].Value : "0000")}:{pm.Groups[2].Value}:{pm.Groups[3].Value}.{pm.Groups[4].Value}".ToLowerInvariant();
                _vm.PciHostDevices.Add(address);
                _vm.Mapped.Add($"-device vfio-pci host={host} → PCI host device {address} (managed)");
                break;
            case "usb-tablet":
                _vm.UsbTablet = true;
                _vm.Mapped.Add("-device usb-tablet → input tablet");
                break;
            case "isa-serial":
                _vm.SerialGiven = true;
                _vm.Serial = d["chardev"] is string ch && _chardevs.TryGetValue(ch, out string? backend) && backend.StartsWith("file:", StringComparison.Ordinal) ? backend : "pty";
                _vm.Mapped.Add($"-device isa-serial → serial {_vm.Serial}");
                break;
            default:
                if (s_plumbing.Contains(driver))
                {
                    _vm.Mapped.Add($"-device {driver}: a controller, bus or video device libvirt adds by itself");
                }
                else
                {
                    _vm.Unknown.Add($"-device {value}");
                }
                break;
        }
    }

    private void Netdev(QemuOptionValue n, string text)
    {
        string type = n.Implied ?? "";
        string id = n["id"] ?? throw new QemuCommandLineException("QemuBadNetdev", $"{text}: id= is missing.");
        var nic = new QemuNic { Id = id, Backend = type, Vhost = n["vhost"] is "on" or "true" };
        switch (type)
        {
            case "user":
                foreach (var p in n.Pairs.Where(p => p.Key is not ("type" or "id")))
                {
                    _vm.Unknown.Add($"{text.Split(' ')[0]} user {p.Key}={p.Value}: not carried (libvirt's user NIC has no such setting)");
                }
                break;
            case "tap":
                nic.Source = n["ifname"];
                if (n["fd"] is not null || n["fds"] is not null)
                {
                    _vm.Unknown.Add($"{text.Split(' ')[0]} tap {id} uses a file descriptor of the process that started QEMU: the NIC becomes an unmanaged tap without a name");
                }
                if (int.TryParse(n["queues"], out int q) && q > 1)
                {
                    nic.Queues = q;
                }
                foreach (var p in n.Pairs.Where(p => p.Key is "script" or "downscript" && p.Value is not "no"))
                {
                    _vm.Unknown.Add($"{text.Split(' ')[0]} {p.Key}={p.Value}: a host script is not carried (libvirt runs none for an unmanaged tap)");
                }
                break;
            case "bridge":
                nic.Source = n["br"] ?? "br0";
                break;
            default:
                _vm.Unknown.Add($"{text}: only user, tap and bridge backends are read");
                return;
        }
        _netdevs[id] = nic;
        _vm.Nics.Add(nic);
        _vm.Mapped.Add($"{text.Split(' ')[0]} {type} {id} → {(type == "user" ? "user-mode NIC" : type == "tap" ? $"NIC on tap {nic.Source ?? "(unnamed)"}" : $"NIC on bridge {nic.Source}")}");
    }

    private void Nic(string value)
    {
        var n = QemuOptionValue.Parse("-nic", value, "type");
        var copy = QemuOptionValue.Parse("-nic", $"{n.Implied},id=nic{_vm.Nics.Count}," + string.Join(",", n.Pairs.Where(p => p.Key is "ifname" or "br" or "script" or "downscript" or "vhost" or "queues").Select(p => $"{p.Key}={p.Value}")).TrimEnd(','), "type");
        Netdev(copy, "-nic " + value);
        if (_netdevs.TryGetValue($"nic{_vm.Nics.Count - 1}", out QemuNic? nic))
        {
            nic.HasDevice = true;
            string model = n["model"] ?? "e1000";
            nic.Model = model is "virtio-net-pci" or "virtio" or "virtio-net" ? "virtio" : model;
            nic.Mac = n["mac"] is string mac ? (MacAddressText.IsValid(mac) ? mac.ToLowerInvariant() : throw new QemuCommandLineException("QemuBadMac", $"-nic {value}: mac '{mac}' is not a MAC address.")) : null;
        }
    }

    /// <summary>After the last option: drives no -device attached, NICs without a device.</summary>
    public void Finish()
    {
        foreach (QemuDisk d in _vm.Disks.Where(d => !d.Attached).ToList())
        {
            _vm.Disks.Remove(d);
            _vm.Unknown.Add($"-drive if=none id={d.Id} ({d.Path}): no -device uses it; left out");
        }
        foreach (QemuNic n in _vm.Nics.Where(n => !n.HasDevice).ToList())
        {
            _vm.Nics.Remove(n);
            _vm.Unknown.Add($"-netdev {n.Backend} id={n.Id}: no -device uses it; left out");
        }
    }
}

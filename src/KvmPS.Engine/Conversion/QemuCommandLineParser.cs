using System.Text.RegularExpressions;

namespace KvmPS.Engine.Conversion;

/// <summary>
/// Reads the common options of a QEMU command line into a <see cref="QemuVmModel"/>: accelerator,
/// machine, CPU model and flags, SMP topology, memory, guest NUMA, drives and block devices, NICs,
/// VFIO devices, direct kernel boot, display and serial. Options that only plumb QEMU into its
/// manager (monitor sockets, sandboxing, -S) are known and named in Mapped; any other option is
/// listed in Unknown, never skipped silently. A malformed value throws
/// <see cref="QemuCommandLineException"/> with a stable ErrorId.
/// </summary>
public static class QemuCommandLineParser
{
    private static readonly HashSet<string> s_flags = new(StringComparer.Ordinal)
    {
        "enable-kvm", "nographic", "S", "no-user-config", "nodefaults", "no-shutdown", "no-reboot", "daemonize", "usb",
        "no-hpet", "no-acpi", "snapshot", "full-screen", "no-fd-bootchk", "enable-fips",
    };

    // Options whose job is to connect QEMU to whoever runs it: libvirt makes its own.
    private static readonly HashSet<string> s_plumbing = new(StringComparer.Ordinal)
    {
        "S", "no-user-config", "nodefaults", "no-shutdown", "daemonize", "mon", "monitor", "qmp", "pidfile", "sandbox", "msg",
        "overcommit", "global", "audiodev", "D", "d", "trace", "usb", "runas", "chroot", "run-with", "name-guest", "k", "qmp-pretty",
        "rtc", "vga", "fw_cfg", "smbios",
    };

    private static readonly Regex s_envAssignment = new("^[A-Za-z_][A-Za-z0-9_]*=", RegexOptions.CultureInvariant);

    /// <summary>Parses a command line given as one text (shell words).</summary>
    public static QemuVmModel Parse(string commandLine) => Parse(QemuWords.Split(commandLine));

    /// <summary>Parses a command line given as words (the program may come first, after VAR=value assignments).</summary>
    public static QemuVmModel Parse(IReadOnlyList<string> words)
    {
        var vm = new QemuVmModel();
        var devices = new QemuDeviceReader(vm);
        int i = 0;
        while (i < words.Count && s_envAssignment.IsMatch(words[i]))
        {
            i++;
        }
        if (i < words.Count && !words[i].StartsWith('-'))
        {
            vm.Emulator = words[i++];
        }
        for (; i < words.Count; i++)
        {
            string word = words[i];
            if (!word.StartsWith('-') || word == "-" || word == "--")
            {
                vm.Unknown.Add($"'{word}': a word that is not an option (QEMU's disk image shorthand is not read; use -drive)");
                continue;
            }
            string opt = word.TrimStart('-');
            if (s_flags.Contains(opt))
            {
                Flag(vm, opt);
                continue;
            }
            if (!Known(opt))
            {
                string? guessed = i + 1 < words.Count && !words[i + 1].StartsWith('-') ? words[++i] : null;
                vm.Unknown.Add(guessed is null ? $"-{opt}" : $"-{opt} {guessed}");
                continue;
            }
            if (i + 1 >= words.Count)
            {
                throw new QemuCommandLineException("QemuMissingValue", $"-{opt} needs a value and is the last word of the command line.");
            }
            string value = words[++i];
            Option(vm, devices, opt, value);
        }
        devices.Finish();
        Check(vm);
        return vm;
    }

    private static bool Known(string opt) => s_plumbing.Contains(opt) || opt is "name" or "uuid" or "accel" or "machine" or "M" or "cpu" or "smp" or "m"
        or "object" or "numa" or "drive" or "blockdev" or "device" or "netdev" or "nic" or "net" or "chardev" or "serial" or "kernel" or "initrd"
        or "append" or "display" or "vnc" or "boot" or "cdrom" or "hda" or "hdb" or "hdc" or "hdd" or "bios";

    private static void Flag(QemuVmModel vm, string opt)
    {
        switch (opt)
        {
            case "enable-kvm":
                vm.Kvm = true;
                vm.Mapped.Add("-enable-kvm → domain type kvm");
                break;
            case "nographic":
                vm.Graphics = false;
                if (!vm.SerialGiven)
                {
                    vm.Serial = "pty";
                }
                vm.Mapped.Add("-nographic → no graphics; the serial port is the console (a pty; virsh console)");
                break;
            case "no-reboot":
            case "no-hpet":
            case "no-acpi":
            case "snapshot":
            case "full-screen":
            case "no-fd-bootchk":
            case "enable-fips":
                vm.Unknown.Add($"-{opt}: not carried into the definition");
                break;
            default:
                vm.Mapped.Add($"-{opt}: QEMU plumbing; libvirt sets up its own");
                break;
        }
    }

    private static void Option(QemuVmModel vm, QemuDeviceReader devices, string opt, string value)
    {
        switch (opt)
        {
            case "name":
                vm.Name = QemuOptionValue.Parse("-name", value, "guest")["guest"];
                vm.Mapped.Add($"-name → name {vm.Name}");
                break;
            case "uuid":
                vm.Uuid = Guid.TryParse(value, out Guid g) ? g : throw new QemuCommandLineException("QemuBadUuid", $"-uuid '{value}' is not a UUID.");
                vm.Mapped.Add("-uuid → uuid");
                break;
            case "accel":
                Accel(vm, QemuOptionValue.Parse("-accel", value, "accel").Implied);
                break;
            case "machine" or "M":
                Machine(vm, QemuOptionValue.Parse("-machine", value, "type"));
                break;
            case "cpu":
                Cpu(vm, value);
                break;
            case "smp":
                Smp(vm, value);
                break;
            case "m":
                var m = QemuOptionValue.Parse("-m", value, "size");
                string size = m["size"] ?? throw new QemuCommandLineException("QemuBadMemory", $"-m '{value}' gives no size.");
                vm.MemoryBytes = QemuSize.Parse(size, 1UL << 20) is ulong b && b > 0 ? b
                    : throw new QemuCommandLineException("QemuBadMemory", $"-m '{value}': '{size}' is not a size (e.g. 2048, 2G, 512M).");
                vm.Mapped.Add($"-m {value} → memory {vm.MemoryBytes} bytes");
                foreach (var p in m.Pairs.Where(p => p.Key is not "size"))
                {
                    vm.Unknown.Add($"-m {p.Key}={p.Value}: memory hot-plug is not carried");
                }
                break;
            case "kernel":
                vm.Kernel = value;
                vm.Mapped.Add($"-kernel → <kernel>{value}</kernel>");
                break;
            case "initrd":
                vm.Initrd = value;
                vm.Mapped.Add($"-initrd → <initrd>{value}</initrd>");
                break;
            case "append":
                vm.Append = value;
                vm.Mapped.Add("-append → <cmdline>");
                break;
            case "boot":
                var boot = QemuOptionValue.Parse("-boot", value, "order");
                vm.BootOrder = boot["order"] ?? boot["once"];
                vm.Mapped.Add($"-boot {value} → boot order {vm.BootOrder}");
                break;
            case "bios":
                vm.Unknown.Add($"-bios {value}: a firmware file of this host is not carried (libvirt picks the firmware)");
                break;
            default:
                if (s_plumbing.Contains(opt))
                {
                    if (opt == "rtc" && QemuOptionValue.Parse("-rtc", value)["base"] is string rb && rb != "utc")
                    {
                        vm.Unknown.Add($"-rtc base={rb}: the clock offset is not carried (the definition's clock is UTC)");
                    }
                    else
                    {
                        vm.Mapped.Add($"-{opt} {value}: QEMU plumbing; libvirt sets up its own");
                    }
                }
                else
                {
                    devices.Read(opt, value);
                }
                break;
        }
    }

    private static void Accel(QemuVmModel vm, string? accel)
    {
        if (accel == "kvm")
        {
            vm.Kvm = true;
            vm.Mapped.Add("-accel kvm → domain type kvm");
        }
        else if (accel == "tcg")
        {
            vm.Kvm = false;
            vm.Mapped.Add("-accel tcg → domain type qemu");
        }
        else
        {
            vm.Unknown.Add($"accelerator {accel}: libvirt's QEMU driver runs kvm or tcg (the definition has type qemu)");
        }
    }

    private static void Machine(QemuVmModel vm, QemuOptionValue m)
    {
        if (m["type"] is string t)
        {
            vm.Machine = t;
            vm.Mapped.Add($"-machine {t} → machine {t}");
        }
        foreach (var p in m.Pairs.Where(p => p.Key != "type"))
        {
            if (p.Key == "accel")
            {
                Accel(vm, p.Value.Split(':')[0]);
            }
            else if (p.Key is "usb" or "dump-guest-core" or "memory-backend" or "mem-merge")
            {
                vm.Mapped.Add($"-machine {p.Key}={p.Value}: libvirt's own setting");
            }
            else
            {
                vm.Unknown.Add($"-machine {p.Key}={p.Value}: not carried");
            }
        }
    }

    private static void Cpu(QemuVmModel vm, string value)
    {
        var parts = value.Split(',');
        string model = parts[0];
        vm.CpuModel = model;
        foreach (string raw in parts.Skip(1))
        {
            string p = raw.Trim();
            if (p.Length == 0)
            {
                continue;
            }
            if (p[0] is '+' or '-')
            {
                string name = p[1..];
                if (!Regex.IsMatch(name, "^[A-Za-z0-9_.-]+$"))
                {
                    throw new QemuCommandLineException("QemuBadCpuFlag", $"-cpu {value}: '{p}' is not a CPU flag.");
                }
                vm.CpuFeatures.Add((name.Replace('_', '-'), p[0] == '+' ? "require" : "disable"));
                continue;
            }
            int eq = p.IndexOf('=');
            string key = eq < 0 ? p : p[..eq];
            string val = eq < 0 ? "on" : p[(eq + 1)..];
            if (val is "on" or "true" or "yes" or "off" or "false" or "no")
            {
                vm.CpuFeatures.Add((key.Replace('_', '-'), val is "on" or "true" or "yes" ? "require" : "disable"));
            }
            else
            {
                vm.Unknown.Add($"-cpu {key}={val}: a CPU property that is not a flag is not carried");
            }
        }
        vm.Mapped.Add($"-cpu {value} → cpu {(model == "host" ? "host-passthrough" : model == "max" ? "maximum" : $"model {model}")}" +
            (vm.CpuFeatures.Count > 0 ? $" with {string.Join(", ", vm.CpuFeatures.Select(f => $"{f.Policy} {f.Name}"))}" : ""));
    }

    private static void Smp(QemuVmModel vm, string value)
    {
        var s = QemuOptionValue.Parse("-smp", value, "cpus");
        int? Num(string key)
        {
            if (s[key] is not string v)
            {
                return null;
            }
            return int.TryParse(v, out int n) && n > 0 ? n : throw new QemuCommandLineException("QemuBadSmp", $"-smp {value}: {key}='{v}' is not a positive number.");
        }
        foreach (var p in s.Pairs.Where(p => p.Key is not ("cpus" or "sockets" or "dies" or "cores" or "threads" or "maxcpus")))
        {
            throw new QemuCommandLineException("QemuBadSmp", $"-smp {value}: '{p.Key}' is not an -smp property (cpus, sockets, dies, cores, threads, maxcpus).");
        }
        int? cpus = Num("cpus"), sockets = Num("sockets"), dies = Num("dies"), cores = Num("cores"), threads = Num("threads"), max = Num("maxcpus");
        bool topo = sockets is not null || cores is not null || threads is not null || dies is not null;
        int total = (sockets ?? 1) * (dies ?? 1) * (cores ?? 1) * (threads ?? 1);
        if (topo && sockets is null)
        {
            // QEMU fills in the sockets from the count.
            sockets = Math.Max(1, (max ?? cpus ?? total) / ((dies ?? 1) * (cores ?? 1) * (threads ?? 1)));
            total = sockets.Value * (dies ?? 1) * (cores ?? 1) * (threads ?? 1);
        }
        int limit = max ?? (topo ? total : cpus ?? 1);
        if (topo && total != limit)
        {
            throw new QemuCommandLineException("QemuBadSmp", $"-smp {value}: sockets × dies × cores × threads = {total}, but the vCPU limit is {limit}.");
        }
        if ((cpus ?? limit) > limit)
        {
            throw new QemuCommandLineException("QemuBadSmp", $"-smp {value}: {cpus} vCPUs exceed maxcpus {limit}.");
        }
        vm.VCpus = cpus ?? limit;
        vm.MaxVCpus = limit;
        if (topo)
        {
            vm.Sockets = sockets;
            vm.Dies = dies;
            vm.Cores = cores ?? 1;
            vm.Threads = threads ?? 1;
        }
        vm.Mapped.Add($"-smp {value} → {vm.VCpus} vCPUs" + (topo ? $", {vm.Sockets} sockets × {vm.Cores} cores × {vm.Threads} threads" : ""));
    }

    private static void Check(QemuVmModel vm)
    {
        if (vm.NumaCells.Count > 0)
        {
            ulong sum = (ulong)vm.NumaCells.Sum(c => (decimal)c.MemoryBytes);
            if (sum != vm.MemoryBytes)
            {
                throw new QemuCommandLineException("QemuBadNuma", $"The NUMA nodes hold {sum} bytes together, but -m gives {vm.MemoryBytes}.");
            }
            var seen = new HashSet<int>();
            foreach (QemuNumaCell c in vm.NumaCells)
            {
                foreach (int cpu in CpuSet.Parse(c.Cpus))
                {
                    if (cpu >= (vm.MaxVCpus ?? vm.VCpus) || !seen.Add(cpu))
                    {
                        throw new QemuCommandLineException("QemuBadNuma", $"NUMA node {c.Id}: vCPU {cpu} is {(seen.Contains(cpu) ? "in two nodes" : "beyond the vCPU count")}.");
                    }
                }
            }
        }
    }
}

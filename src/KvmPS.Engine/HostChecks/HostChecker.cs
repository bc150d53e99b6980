using System.Globalization;
using System.Xml.Linq;
using KvmPS.Engine.Host;

namespace KvmPS.Engine.HostChecks;

/// <summary>
/// Runs the readiness checks. Each check reads the host through the context's file system or
/// asks libvirt, says what it saw with the actual values, and, when something is wrong, gives
/// the commands that fix it on this distribution.
/// </summary>
public static class HostChecker
{
    private static readonly Dictionary<string, Func<HostCheckContext, Finding>> s_checks = new(StringComparer.Ordinal)
    {
        [HostCheckNames.CpuVirtualization] = CpuVirtualization,
        [HostCheckNames.KvmModules] = KvmModules,
        [HostCheckNames.KvmDevice] = KvmDevice,
        [HostCheckNames.UserGroups] = UserGroups,
        [HostCheckNames.LibvirtDaemon] = LibvirtDaemon,
        [HostCheckNames.QemuEmulator] = QemuEmulator,
        [HostCheckNames.KvmDomainType] = KvmDomainType,
        [HostCheckNames.NestedVirtualization] = NestedVirtualization,
        [HostCheckNames.HugePages] = HugePages,
        [HostCheckNames.Iommu] = Iommu,
        [HostCheckNames.VhostNet] = VhostNet,
        [HostCheckNames.Tun] = Tun,
        [HostCheckNames.Cgroups] = Cgroups,
        [HostCheckNames.SecurityDriver] = SecurityDriver,
    };

    /// <summary>One check's result before it becomes the public object.</summary>
    public sealed record Finding(KvmCheckStatus Status, string Message, IReadOnlyList<string> Remedy)
    {
        public static Finding Pass(string message) => new(KvmCheckStatus.Pass, message, Array.Empty<string>());
        public static Finding Skip(string message) => new(KvmCheckStatus.Skip, message, Array.Empty<string>());
        public static Finding Warn(string message, params string[] remedy) => new(KvmCheckStatus.Warn, message, remedy);
        public static Finding Fail(string message, params string[] remedy) => new(KvmCheckStatus.Fail, message, remedy);
    }

    /// <summary>Runs the named checks (all when <paramref name="names"/> is null), in the fixed order.</summary>
    public static KvmHostReport Run(HostCheckContext ctx, IEnumerable<string>? names = null)
    {
        var wanted = names is null ? null : new HashSet<string>(names.Select(n => HostCheckNames.Canonical(n) ?? n), StringComparer.Ordinal);
        var findings = HostCheckNames.All
            .Where(name => wanted is null || wanted.Contains(name))
            .Select(name => (Name: name, Finding: RunOne(ctx, name)))
            .ToList();
        string computer = ctx.ComputerName;
        // The canonical URI when a check opened the connection (libvirt's default resolved);
        // file-only checks leave libvirt alone.
        string uri = ctx.OpenedConnection?.Uri ?? ctx.Uri;
        var checks = findings.Select(x => new KvmHostCheck
        {
            Name = x.Name,
            Status = x.Finding.Status,
            Message = x.Finding.Message,
            Remedy = string.Join("\n", x.Finding.Remedy),
            CanRepair = x.Finding.Status is KvmCheckStatus.Warn or KvmCheckStatus.Fail
                && !ctx.IsRemote && HostRepairPlanner.Plan(x.Name, ctx, RepairOptions.Permissive).Steps.Count > 0,
            ComputerName = computer,
            Uri = uri,
        }).ToList();
        return new KvmHostReport
        {
            ComputerName = computer,
            Uri = uri,
            IsRemote = ctx.IsRemote,
            Distribution = ctx.IsRemote ? "" : ctx.Distro.ToString(),
            Checks = checks.ToArray(),
        };
    }

    /// <summary>Runs one check; a remote URI skips the file-based ones.</summary>
    public static Finding RunOne(HostCheckContext ctx, string name)
    {
        if (ctx.IsRemote && HostCheckNames.FileBased.Contains(name))
        {
            return Finding.Skip($"Reads the host's files: not possible for the remote URI {ctx.Uri}.");
        }
        try
        {
            return s_checks[name](ctx);
        }
        catch (LibvirtException e)
        {
            // One failing libvirt call spoils one check, not the report.
            return Finding.Fail($"{e.Function} failed: {e.LibvirtMessage}");
        }
    }

    // ---- CPU, modules, /dev/kvm, groups -------------------------------------------------------

    private static Finding CpuVirtualization(HostCheckContext ctx)
    {
        CpuInfo cpu = ctx.Cpu;
        if (cpu.Processors == 0)
        {
            return Finding.Skip("/proc/cpuinfo could not be read.");
        }
        if (!cpu.IsX86)
        {
            return Finding.Skip($"{ctx.Architecture}: /proc/cpuinfo has no x86 flags; KvmDevice tells whether KVM is available.");
        }
        string cpuText = $"{cpu.Vendor} {cpu.Model}".Trim();
        int vmx = cpu.Count("vmx"), svm = cpu.Count("svm");
        if (vmx > 0)
        {
            return Finding.Pass($"vmx (Intel VT-x) on {vmx} of {cpu.Processors} CPUs ({cpuText}).");
        }
        if (svm > 0)
        {
            return Finding.Pass($"svm (AMD-V) on {svm} of {cpu.Processors} CPUs ({cpuText}).");
        }
        string seen = $"No vmx or svm flag on any of the {cpu.Processors} CPUs in /proc/cpuinfo ({cpuText}"
            + (cpu.UnderHypervisor ? ", a virtual machine: the hypervisor flag is set" : "") + ")";
        // PVM runs KVM guests on page tables instead of VT-x/AMD-V: /dev/kvm works without the flags.
        if (ctx.IsPresent("kvm_pvm") && ctx.Fs.Stat("/dev/kvm").Kind == HostNodeKind.CharDevice)
        {
            return Finding.Warn(seen + "; KVM is provided by kvm_pvm instead (PVM, KVM without hardware virtualization extensions), so /dev/kvm works.");
        }
        string module = cpu.IsAmd ? "kvm_amd" : "kvm_intel";
        string[] remedy = cpu.UnderHypervisor
            ? new[]
            {
                "# On the host that runs this virtual machine (a KVM host, say):",
                $"modprobe -r {module} && modprobe {module} nested=1",
                "# and give this VM the host's CPU: virsh edit <vm>, then <cpu mode='host-passthrough'/>",
            }
            : new[] { $"# Enable {(cpu.IsAmd ? "AMD-V (SVM Mode)" : "Intel VT-x (Virtualization Technology)")} in the firmware setup (BIOS/UEFI), then boot again." };
        return Finding.Fail(seen + ": guests can only run under QEMU's software emulation (TCG).", remedy);
    }

    private static Finding KvmModules(HostCheckContext ctx)
    {
        ModuleState kvm = ctx.Module("kvm");
        string? expected = ctx.ExpectedVendorModule;
        string? present = ctx.PresentVendorModule;
        string Describe(string m) => $"{m} {State(ctx.Module(m))}";

        if (expected is null)
        {
            if (kvm != ModuleState.Absent && present is not null)
            {
                return Finding.Pass($"{Describe("kvm")}, {Describe(present)}.");
            }
            return Finding.Fail(
                $"{Describe("kvm")}; no vendor module (kvm_intel, kvm_amd) is present, and neither can load without vmx or svm.",
                "# See CpuVirtualization: the CPU must offer vmx or svm first.");
        }
        if (kvm != ModuleState.Absent && ctx.IsPresent(expected))
        {
            return Finding.Pass($"{Describe("kvm")}, {Describe(expected)}.");
        }
        return Finding.Fail($"{Describe("kvm")}, {Describe(expected)}.", LoadModuleRemedy(ctx, expected, $"CONFIG_KVM and CONFIG_{expected.ToUpperInvariant()}"));
    }

    private static string State(ModuleState s) => s switch
    {
        ModuleState.Loaded => "loaded",
        ModuleState.BuiltIn => "built in",
        _ => "not loaded",
    };

    /// <summary>modprobe, or the kernel to use when this one cannot load modules at all.</summary>
    private static string[] LoadModuleRemedy(HostCheckContext ctx, string module, string config, string? persistFile = null)
    {
        if (!ctx.ModulesSupported)
        {
            return new[] { $"# This kernel cannot load modules (no /proc/modules): boot a kernel built with {config}." };
        }
        var lines = new List<string>();
        if (ctx.FindProgram("modprobe") is null && ctx.Distro.InstallCommand(HostDistribution.KmodPackage) is { } install)
        {
            lines.Add(ctx.Sudo + install.Program + " " + string.Join(' ', install.Arguments));
        }
        lines.Add($"{ctx.Sudo}modprobe {module}");
        if (persistFile is not null)
        {
            lines.Add(WriteFileCommand(ctx, persistFile, module));
        }
        return lines.ToArray();
    }

    /// <summary>A shell command that writes a value to a root-owned file.</summary>
    private static string WriteFileCommand(HostCheckContext ctx, string path, string value)
    {
        string quoted = value.All(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.') ? value : $"'{value}'";
        return ctx.Identity.IsRoot ? $"echo {quoted} > {path}" : $"echo {quoted} | sudo tee {path}";
    }

    private static string DeviceText(HostCheckContext ctx, string path, HostNode n) =>
        $"{path}: character device {n.Major}:{n.Minor}, mode {n.OctalMode}, owner {(n.Uid == 0 ? "root" : n.Uid.ToString(CultureInfo.InvariantCulture))}:{ctx.Identity.GroupName(n.Gid)}";

    private static Finding KvmDevice(HostCheckContext ctx)
    {
        HostNode n = ctx.Fs.Stat("/dev/kvm");
        HostIdentity me = ctx.Identity;
        if (!n.Exists)
        {
            string? dev = ctx.Fs.ReadText("/sys/class/misc/kvm/dev")?.Trim();
            if (dev is not null)
            {
                // The kernel has the device but nobody made the node (a container, no udev).
                string[] mm = dev.Split(':');
                return Finding.Fail($"/dev/kvm does not exist, although the kernel offers it as device {dev}.",
                    $"{ctx.Sudo}mknod /dev/kvm c {mm[0]} {mm.ElementAtOrDefault(1)}",
                    $"{ctx.Sudo}chown root:kvm /dev/kvm",
                    $"{ctx.Sudo}chmod 0660 /dev/kvm");
            }
            string module = ctx.PresentVendorModule ?? ctx.VendorModuleForCpu;
            string[] remedy = ctx.ExpectedVendorModule is null && ctx.PresentVendorModule is null
                ? new[] { "# See CpuVirtualization: without vmx or svm there is no /dev/kvm." }
                : LoadModuleRemedy(ctx, module, $"CONFIG_KVM and CONFIG_{module.ToUpperInvariant()}");
            return Finding.Fail($"/dev/kvm does not exist (kvm {State(ctx.Module("kvm"))}, {module} {State(ctx.Module(module))}).", remedy);
        }
        if (n.Kind != HostNodeKind.CharDevice)
        {
            return Finding.Fail($"/dev/kvm is a {n.Kind}, not a character device.",
                $"{ctx.Sudo}rm /dev/kvm", $"{ctx.Sudo}mknod /dev/kvm c 10 232", $"{ctx.Sudo}chown root:kvm /dev/kvm", $"{ctx.Sudo}chmod 0660 /dev/kvm");
        }
        string text = DeviceText(ctx, "/dev/kvm", n);
        if (ctx.Fs.CanReadWrite("/dev/kvm"))
        {
            return Finding.Pass($"{text}; read-write for {me.UserName}{(me.IsRoot && me.UserName != "root" ? " (uid 0)" : "")}.");
        }
        string group = ctx.Identity.GroupName(n.Gid);
        string[] fix = n.Gid == 0
            ? new[] { $"{ctx.Sudo}chgrp kvm /dev/kvm", $"{ctx.Sudo}chmod 0660 /dev/kvm", $"{ctx.Sudo}usermod -aG kvm {me.UserName}", "# then log out and back in" }
            : me.IsListedIn(group)
                ? new[] { $"# {me.UserName} is in {group} in /etc/group but not in this login: log out and back in (or run: newgrp {group})" }
                : new[] { $"{ctx.Sudo}usermod -aG {group} {me.UserName}", $"# then log out and back in (or run: newgrp {group})" };
        return Finding.Fail($"{text}; {me.UserName} (uid {me.Uid}) cannot open it read-write.", fix);
    }

    private static Finding UserGroups(HostCheckContext ctx)
    {
        HostIdentity me = ctx.Identity;
        if (me.IsRoot)
        {
            return Finding.Pass($"Running as {me.UserName} (uid 0): /dev/kvm and libvirt's system socket need no group.");
        }
        var parts = new List<string>();
        var toAdd = new List<string>();
        var notActive = new List<string>();
        var missingGroups = new List<string>();
        bool kvmActive = false, libvirtActive = false;
        foreach (string g in new[] { "kvm", "libvirt" })
        {
            var entry = me.FindGroup(g);
            string state;
            if (entry is null)
            {
                state = "no such group";
                missingGroups.Add(g);
            }
            else if (me.HasGroup(entry.Value.Gid))
            {
                state = "member";
                if (g == "kvm") { kvmActive = true; } else { libvirtActive = true; }
            }
            else if (me.IsListedIn(g))
            {
                state = "member in /etc/group, not yet in this login";
                notActive.Add(g);
            }
            else
            {
                state = "not a member";
                toAdd.Add(g);
            }
            parts.Add($"{g}: {state}");
        }
        string message = $"{me.UserName} (uid {me.Uid}): {string.Join("; ", parts)}";
        var remedy = new List<string>();
        if (missingGroups.Contains("libvirt") && ctx.Distro.InstallCommand(ctx.Distro.LibvirtPackage) is { } install)
        {
            remedy.Add("# The libvirt group comes with libvirt's daemon package:");
            remedy.Add(ctx.Sudo + install.Program + " " + string.Join(' ', install.Arguments));
            toAdd.Add("libvirt");
        }
        if (missingGroups.Contains("kvm"))
        {
            remedy.Add($"{ctx.Sudo}groupadd --system kvm");
            toAdd.Insert(0, "kvm");
        }
        if (toAdd.Count > 0)
        {
            remedy.Add($"{ctx.Sudo}usermod -aG {string.Join(',', toAdd)} {me.UserName}");
        }
        if (toAdd.Count > 0 || notActive.Count > 0)
        {
            remedy.Add($"# then log out and back in (or run: newgrp {toAdd.Concat(notActive).First()})");
        }
        // /dev/kvm may be open to everyone (mode 0666, or an ACL): then the kvm group is not needed.
        bool kvmUsable = kvmActive || ctx.Fs.CanReadWrite("/dev/kvm");
        if (!kvmUsable)
        {
            return Finding.Fail(message + ".", remedy.ToArray());
        }
        if (!libvirtActive)
        {
            return Finding.Warn(message + (kvmActive ? "" : " (/dev/kvm is usable anyway)")
                + "; without the libvirt group qemu:///system needs root or polkit.", remedy.ToArray());
        }
        return Finding.Pass(message + ".");
    }

    // ---- libvirt ------------------------------------------------------------------------------

    private static Finding LibvirtDaemon(HostCheckContext ctx)
    {
        LibvirtConnection? conn = ctx.Connection;
        string shown = ctx.Uri.Length == 0 ? "libvirt's default URI" : ctx.Uri;
        if (conn is not null)
        {
            string type = conn.GetHypervisorType();
            string client = LibvirtConnection.GetClientLibraryVersion().ToString();
            string how = type.Equals("TEST", StringComparison.OrdinalIgnoreCase)
                ? "libvirt's built-in test driver, no daemon"
                : $"{type} driver";
            return Finding.Pass($"libvirt {conn.GetLibvirtVersion()} answers at {conn.Uri} ({how}); client library {client}.");
        }
        LibvirtException? e = ctx.ConnectionError;
        if (e is null)
        {
            return Finding.Skip("No libvirt connection was requested.");
        }
        if (ctx.LibraryMissing)
        {
            // The daemon's package brings the library; a remote host needs only the library.
            string package = ctx.IsRemote ? ctx.Distro.LibvirtClientPackage : ctx.Distro.LibvirtPackage;
            return Finding.Fail(e.LibvirtMessage, ctx.Distro.InstallCommand(package) is { } lib
                ? new[] { ctx.Sudo + lib.Program + " " + string.Join(' ', lib.Arguments) }
                : new[] { $"# Install libvirt ({package}) with the distribution's package manager." });
        }
        string seen = $"Cannot connect to {shown}: {e.LibvirtMessage}";
        if (ctx.IsRemote)
        {
            return Finding.Fail(seen, $"# Check that libvirt's daemon runs on {HostCheckContext.HostPart(ctx.Uri) ?? "the remote host"} and that this URI reaches it: virsh -c '{ctx.Uri}' version");
        }
        if (e.Kind is KvmErrorKind.PermissionDenied or KvmErrorKind.AuthenticationFailed)
        {
            return Finding.Fail(seen, $"{ctx.Sudo}usermod -aG libvirt {ctx.Identity.UserName}", "# then log out and back in (or run: newgrp libvirt)");
        }
        var remedy = new List<string>();
        if (DaemonProgram(ctx) is null && ctx.Distro.InstallCommand(ctx.Distro.LibvirtPackage) is { } install)
        {
            remedy.Add(ctx.Sudo + install.Program + " " + string.Join(' ', install.Arguments));
        }
        remedy.AddRange(StartDaemonCommands(ctx).Select(c => ctx.Sudo + c));
        return Finding.Fail(seen + ".", remedy.ToArray());
    }

    /// <summary>The installed daemon for QEMU: the monolithic libvirtd, else the modular virtqemud.</summary>
    internal static string? DaemonProgram(HostCheckContext ctx) => ctx.FindProgram("libvirtd") ?? ctx.FindProgram("virtqemud");

    /// <summary>How to start libvirt's daemon here: systemd units, or the daemons by hand.</summary>
    internal static string[] StartDaemonCommands(HostCheckContext ctx)
    {
        bool modular = DaemonProgram(ctx) is { } p && p.EndsWith("virtqemud", StringComparison.Ordinal);
        if (ctx.Distro.HasSystemd)
        {
            return new[] { modular ? "systemctl enable --now virtqemud.socket" : "systemctl enable --now libvirtd" };
        }
        return new[] { "virtlogd -d", modular ? "virtqemud -d" : "libvirtd -d" };
    }

    private static bool IsQemu(LibvirtConnection conn, out string type)
    {
        type = conn.GetHypervisorType();
        return type.Equals("QEMU", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>path, machine, arch and domain type from domain capabilities XML.</summary>
    internal static (string Path, string Machine, string Arch, string Domain) ParseDomainCapabilities(string xml)
    {
        XElement root = XElement.Parse(xml);
        return ((string?)root.Element("path") ?? "", (string?)root.Element("machine") ?? "",
            (string?)root.Element("arch") ?? "", (string?)root.Element("domain") ?? "");
    }

    private static Finding QemuEmulator(HostCheckContext ctx)
    {
        LibvirtConnection? conn = ctx.Connection;
        string arch = ctx.Architecture;
        string[] install = ctx.Distro.InstallCommand(ctx.Distro.QemuPackage(arch)) is { } i
            ? new[] { ctx.Sudo + i.Program + " " + string.Join(' ', i.Arguments) }
            : new[] { $"# Install QEMU for {arch} with the distribution's package manager." };
        if (conn is null)
        {
            if (ctx.IsRemote)
            {
                return Finding.Skip("libvirt is not reachable at the URI (see LibvirtDaemon).");
            }
            string? found = FindQemu(ctx, arch);
            return found is not null
                ? Finding.Pass($"{found} is installed (its version is read from libvirt, which is not reachable).")
                : Finding.Fail($"No QEMU emulator for {arch} is installed (looked for qemu-system-{arch}, qemu-kvm).", install);
        }
        if (!IsQemu(conn, out string type))
        {
            return Finding.Skip($"The {type} driver at {conn.Uri} does not run QEMU.");
        }
        try
        {
            var caps = ParseDomainCapabilities(conn.GetDomainCapabilitiesXml(null));
            Version? v = conn.GetHypervisorVersion();
            return Finding.Pass($"{caps.Path}, QEMU {v?.ToString() ?? "(version unknown)"}; default machine {caps.Machine} for {caps.Arch}.");
        }
        catch (LibvirtException e)
        {
            return Finding.Fail($"libvirt finds no usable QEMU emulator: {e.LibvirtMessage}", ctx.IsRemote ? Array.Empty<string>() : install);
        }
    }

    internal static string? FindQemu(HostCheckContext ctx, string arch) =>
        ctx.FindProgram("qemu-system-" + arch) ?? ctx.FindProgram("qemu-kvm", "/usr/libexec");

    private static Finding KvmDomainType(HostCheckContext ctx)
    {
        LibvirtConnection? conn = ctx.Connection;
        if (conn is null)
        {
            return Finding.Skip("libvirt is not reachable at the URI (see LibvirtDaemon).");
        }
        CapabilitiesInfo caps = HostInfoReader.ParseCapabilities(ctx.CapabilitiesXml(conn));
        string offered = caps.DomainTypes.Length == 0 ? "none" : string.Join(", ", caps.DomainTypes);
        if (!IsQemu(conn, out string type))
        {
            return Finding.Skip($"The {type} driver is not QEMU/KVM; it offers domain types: {offered}.");
        }
        string? kvmCaps = null;
        string? error = null;
        try
        {
            var d = ParseDomainCapabilities(conn.GetDomainCapabilitiesXml("kvm"));
            kvmCaps = $"{d.Path}, machine {d.Machine}";
        }
        catch (LibvirtException e)
        {
            error = e.LibvirtMessage;
        }
        if (caps.DomainTypes.Contains("kvm") && kvmCaps is not null)
        {
            return Finding.Pass($"Domain types for {caps.Architecture}: {offered}; domain capabilities for kvm: {kvmCaps}.");
        }
        string seen = $"Domain types for {caps.Architecture}: {offered}; no kvm"
            + (error is null ? "" : $" (domain capabilities: {error})") + ": guests run under TCG software emulation only.";
        if (ctx.IsRemote)
        {
            return Finding.Fail(seen, "# Make /dev/kvm usable on that host (run Test-KvmHost there), then restart its libvirt daemon.");
        }
        var remedy = new List<string> { "# Make /dev/kvm usable first (see KvmModules, KvmDevice), then restart libvirt's daemon so it probes QEMU again:" };
        remedy.Add(ctx.Distro.HasSystemd
            ? $"{ctx.Sudo}systemctl restart {(DaemonProgram(ctx)?.EndsWith("virtqemud", StringComparison.Ordinal) == true ? "virtqemud" : "libvirtd")}"
            : "# stop libvirtd, then start it again: libvirtd -d");
        return Finding.Fail(seen, remedy.ToArray());
    }

    // ---- nested, huge pages, IOMMU --------------------------------------------------------------

    private static Finding NestedVirtualization(HostCheckContext ctx)
    {
        string? module = ctx.PresentVendorModule;
        if (module is null)
        {
            return Finding.Skip("Neither kvm_intel nor kvm_amd is in the kernel (see KvmModules).");
        }
        string? value = ctx.Fs.ReadText($"/sys/module/{module}/parameters/nested")?.Trim();
        if (value is null)
        {
            return Finding.Skip($"{module} has no nested parameter.");
        }
        if (value is "Y" or "1")
        {
            return Finding.Pass($"{module} nested = {value}: guests can run KVM guests of their own.");
        }
        string message = $"{module} nested = {value}: guests cannot use KVM themselves.";
        if (ctx.Module(module) == ModuleState.BuiltIn)
        {
            return Finding.Warn(message, ctx.Distro.KernelArgumentCommands($"{module}.nested=1").Select(c => c.StartsWith('#') || c == "reboot" ? c : ctx.Sudo + c).ToArray());
        }
        return Finding.Warn(message,
            WriteFileCommand(ctx, NestedConfFile, $"options {module} nested=1"),
            "# with no guest running:",
            $"{ctx.Sudo}modprobe -r {module}",
            $"{ctx.Sudo}modprobe {module}");
    }

    internal const string NestedConfFile = "/etc/modprobe.d/kvm-nested.conf";

    /// <summary>Huge pages of one size: the kernel's pool and the files that hold it.</summary>
    public sealed record HugePagePool(ulong SizeKiB, ulong Total, ulong Free, string CountFile);

    /// <summary>The kernel's huge page pools by size, from /sys/kernel/mm/hugepages.</summary>
    public static IReadOnlyList<HugePagePool> ReadHugePagePools(IHostFileSystem fs)
    {
        var pools = new List<HugePagePool>();
        ulong defaultKiB = DefaultHugePageKiB(fs);
        foreach (string dir in fs.List("/sys/kernel/mm/hugepages"))
        {
            if (!dir.StartsWith("hugepages-", StringComparison.Ordinal) || !dir.EndsWith("kB", StringComparison.Ordinal)
                || !ulong.TryParse(dir["hugepages-".Length..^2], NumberStyles.None, CultureInfo.InvariantCulture, out ulong kib))
            {
                continue;
            }
            string basePath = "/sys/kernel/mm/hugepages/" + dir;
            // The default size is also /proc/sys/vm/nr_hugepages, the classic place to set it.
            string countFile = kib == defaultKiB ? "/proc/sys/vm/nr_hugepages" : basePath + "/nr_hugepages";
            pools.Add(new HugePagePool(kib, ReadULong(fs, basePath + "/nr_hugepages"), ReadULong(fs, basePath + "/free_hugepages"), countFile));
        }
        return pools.OrderBy(p => p.SizeKiB).ToList();
    }

    /// <summary>Hugepagesize from /proc/meminfo (KiB), or 0.</summary>
    public static ulong DefaultHugePageKiB(IHostFileSystem fs)
    {
        foreach (string line in (fs.ReadText("/proc/meminfo") ?? "").Split('\n'))
        {
            if (line.StartsWith("Hugepagesize:", StringComparison.Ordinal))
            {
                return ULong(line["Hugepagesize:".Length..].Replace("kB", "").Trim());
            }
        }
        return 0;
    }

    internal static ulong ReadULong(IHostFileSystem fs, string path) => ULong(fs.ReadText(path)?.Trim());

    private static ulong ULong(string? s) => ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v) ? v : 0;

    public static string SizeText(ulong kib) =>
        kib >= 1024 * 1024 ? $"{kib / (1024 * 1024)} GiB" : kib >= 1024 ? $"{kib / 1024} MiB" : $"{kib} KiB";

    private static Finding HugePages(HostCheckContext ctx)
    {
        List<(ulong SizeKiB, ulong Total, ulong Free)> pools;
        string where;
        ulong defaultKiB = 0;
        if (ctx.IsRemote)
        {
            LibvirtConnection? conn = ctx.Connection;
            if (conn is null)
            {
                return Finding.Skip("libvirt is not reachable at the URI (see LibvirtDaemon).");
            }
            KvmHost host = HostInfoReader.Read(conn);
            pools = host.NumaCells.SelectMany(c => c.Pages)
                .Where(p => p.PageSizeBytes > 64 * 1024)
                .GroupBy(p => p.PageSizeBytes / 1024)
                .Select(g => (g.Key, (ulong)g.Sum(p => (decimal)p.Total), (ulong)g.Sum(p => (decimal)(p.Free ?? 0))))
                .OrderBy(p => p.Key).ToList();
            where = "libvirt's capabilities and free pages";
        }
        else
        {
            pools = ReadHugePagePools(ctx.Fs).Select(p => (p.SizeKiB, p.Total, p.Free)).ToList();
            defaultKiB = DefaultHugePageKiB(ctx.Fs);
            where = "/sys/kernel/mm/hugepages";
        }
        if (pools.Count == 0)
        {
            return Finding.Skip($"No huge page sizes reported ({where}): the kernel has no hugetlbfs support.");
        }
        string seen = string.Join("; ", pools.Select(p => $"{SizeText(p.SizeKiB)}: {p.Total} reserved, {p.Free} free"))
            + (defaultKiB > 0 ? $" (default size {SizeText(defaultKiB)})" : "");
        if (pools.Any(p => p.Free > 0))
        {
            return Finding.Pass(seen + ".");
        }
        ulong size = defaultKiB > 0 ? defaultKiB : pools[0].SizeKiB;
        ulong count = size >= 1024 * 1024 ? 2UL : 1024UL;
        string[] remedy = ctx.IsRemote
            ? new[] { $"# On that host: echo {count} > /proc/sys/vm/nr_hugepages" }
            : new[]
            {
                $"# {count} x {SizeText(size)} = {SizeText(count * size)}: size the pool to the guests that use huge pages.",
                WriteFileCommand(ctx, "/proc/sys/vm/nr_hugepages", count.ToString(CultureInfo.InvariantCulture)),
                "# to keep it after a reboot:",
                WriteFileCommand(ctx, "/etc/sysctl.d/80-hugepages.conf", $"vm.nr_hugepages = {count}"),
                $"# or: Repair-KvmHost -Check HugePages -HugePageCount {count}",
            };
        bool anyReserved = pools.Any(p => p.Total > 0);
        return Finding.Warn(seen + (anyReserved ? ": every reserved huge page is in use." : ": no huge pages are reserved, so guests cannot use them."), remedy);
    }

    private static Finding Iommu(HostCheckContext ctx)
    {
        if (ctx.IsRemote)
        {
            LibvirtConnection? conn = ctx.Connection;
            if (conn is null)
            {
                return Finding.Skip("libvirt is not reachable at the URI (see LibvirtDaemon).");
            }
            bool? support = HostInfoReader.ParseCapabilities(ctx.CapabilitiesXml(conn)).Iommu;
            return support switch
            {
                true => Finding.Pass("libvirt reports IOMMU support on the host."),
                false => Finding.Warn("libvirt reports no IOMMU support on the host: PCI passthrough (vfio) is not possible.",
                    "# On that host: enable VT-d/AMD-Vi in the firmware and add intel_iommu=on iommu=pt (Intel) or amd_iommu=on iommu=pt (AMD) to the kernel command line."),
                null => Finding.Skip("libvirt does not report IOMMU support over this connection."),
            };
        }
        CpuInfo cpu = ctx.Cpu;
        int groups = ctx.Fs.List("/sys/kernel/iommu_groups").Count(g => g.All(char.IsAsciiDigit));
        string[] cmdline = (ctx.Fs.ReadText("/proc/cmdline") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string[] iommuArgs = cmdline.Where(a => a.StartsWith("intel_iommu=", StringComparison.Ordinal) || a.StartsWith("amd_iommu=", StringComparison.Ordinal)
            || a.StartsWith("iommu=", StringComparison.Ordinal) || a.StartsWith("iommu.", StringComparison.Ordinal)).ToArray();
        string table = cpu.IsAmd ? "IVRS" : "DMAR";
        bool hasTable = ctx.Fs.Exists("/sys/firmware/acpi/tables/" + table);
        string argsText = iommuArgs.Length == 0 ? "no IOMMU arguments on the kernel command line" : "kernel command line: " + string.Join(' ', iommuArgs);
        string seen = $"{groups} IOMMU groups in /sys/kernel/iommu_groups; ACPI {table} table {(hasTable ? "present" : "absent")}; {argsText}";
        if (groups > 0)
        {
            return Finding.Pass(seen + ".");
        }
        string wanted = cpu.IsAmd ? "amd_iommu=on iommu=pt" : "intel_iommu=on iommu=pt";
        var remedy = new List<string>();
        if (!hasTable)
        {
            remedy.Add(cpu.UnderHypervisor
                ? $"# This is a virtual machine: give it a virtual IOMMU (QEMU: -device {(cpu.IsAmd ? "amd-iommu" : "intel-iommu")}; libvirt: <iommu model='{(cpu.IsAmd ? "amd" : "intel")}'/>)."
                : $"# Enable {(cpu.IsAmd ? "AMD-Vi (IOMMU)" : "VT-d")} in the firmware setup (BIOS/UEFI).");
        }
        string missing = string.Join(' ', wanted.Split(' ').Where(w => !cmdline.Contains(w)));
        if (missing.Length > 0)
        {
            remedy.AddRange(ctx.Distro.KernelArgumentCommands(missing).Select(c => c.StartsWith('#') ? c : ctx.Sudo + c));
        }
        return Finding.Warn(seen + ": PCI passthrough (vfio) is not possible.", remedy.ToArray());
    }

    // ---- vhost-net, tun, cgroups, security ----------------------------------------------------

    private static Finding VhostNet(HostCheckContext ctx)
    {
        HostNode n = ctx.Fs.Stat("/dev/vhost-net");
        ModuleState m = ctx.Module("vhost_net");
        if (n.Kind == HostNodeKind.CharDevice)
        {
            return Finding.Pass($"{DeviceText(ctx, "/dev/vhost-net", n)}; vhost_net {State(m)}.");
        }
        return Finding.Warn($"/dev/vhost-net {(n.Exists ? "is not a character device" : "does not exist")}; vhost_net {State(m)}: virtio-net packets go through QEMU (slower).",
            LoadModuleRemedy(ctx, "vhost_net", "CONFIG_VHOST_NET", "/etc/modules-load.d/vhost_net.conf"));
    }

    private static Finding Tun(HostCheckContext ctx)
    {
        HostNode n = ctx.Fs.Stat("/dev/net/tun");
        if (n.Kind == HostNodeKind.CharDevice)
        {
            return Finding.Pass($"{DeviceText(ctx, "/dev/net/tun", n)}.");
        }
        if (ctx.Fs.ReadText("/sys/class/misc/tun/dev")?.Trim() is { } dev)
        {
            string[] mm = dev.Split(':');
            return Finding.Fail($"/dev/net/tun does not exist, although the kernel offers it as device {dev}: guests cannot have tap network interfaces.",
                $"{ctx.Sudo}mkdir -p /dev/net", $"{ctx.Sudo}mknod /dev/net/tun c {mm[0]} {mm.ElementAtOrDefault(1)}", $"{ctx.Sudo}chmod 0666 /dev/net/tun");
        }
        return Finding.Fail($"/dev/net/tun does not exist; tun {State(ctx.Module("tun"))}: guests cannot have tap network interfaces.",
            LoadModuleRemedy(ctx, "tun", "CONFIG_TUN"));
    }

    private static readonly string[] s_v1Controllers = { "cpu", "cpuacct", "cpuset", "memory", "devices", "blkio" };
    private static readonly string[] s_v2Controllers = { "cpu", "cpuset", "memory", "io" };

    private static Finding Cgroups(HostCheckContext ctx)
    {
        var mounts = (ctx.Fs.ReadText("/proc/mounts") ?? "").Split('\n')
            .Select(l => l.Split(' '))
            .Where(f => f.Length >= 4)
            .Select(f => (Point: f[1], Type: f[2], Options: f[3].Split(',')))
            .ToList();
        bool unified = mounts.Any(m => m.Type == "cgroup2" && m.Point == "/sys/fs/cgroup");
        if (unified)
        {
            string[] have = (ctx.Fs.ReadText("/sys/fs/cgroup/cgroup.controllers") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            string[] missing = s_v2Controllers.Where(c => !have.Contains(c)).ToArray();
            string seen = $"cgroup v2 at /sys/fs/cgroup with controllers: {(have.Length == 0 ? "none" : string.Join(", ", have))} (device access goes through eBPF, not a controller)";
            if (missing.Length == 0)
            {
                return Finding.Pass(seen + ".");
            }
            return Finding.Warn($"{seen}; missing {string.Join(", ", missing)}: libvirt cannot apply those limits to guests.",
                $"# The kernel does not offer {string.Join(", ", missing)} on the unified hierarchy: check that no cgroup v1 hierarchy holds them (grep cgroup /proc/mounts) and that the kernel has them (cat /proc/cgroups).");
        }
        var v1 = mounts.Where(m => m.Type == "cgroup").SelectMany(m => m.Options).ToHashSet(StringComparer.Ordinal);
        string[] present = s_v1Controllers.Where(v1.Contains).ToArray();
        string[] absent = s_v1Controllers.Where(c => !v1.Contains(c)).ToArray();
        string hybrid = mounts.FirstOrDefault(m => m.Type == "cgroup2").Point is { } p ? $"; cgroup v2 also mounted at {p}" : "";
        string seenV1 = $"cgroup v1 controllers mounted: {(present.Length == 0 ? "none" : string.Join(", ", present))}{hybrid}";
        if (absent.Length == 0)
        {
            return Finding.Pass(seenV1 + ".");
        }
        var enabled = (ctx.Fs.ReadText("/proc/cgroups") ?? "").Split('\n')
            .Select(l => l.Split('\t', ' ').Where(s => s.Length > 0).ToArray())
            .Where(f => f.Length >= 4 && !f[0].StartsWith('#'))
            .ToDictionary(f => f[0], f => f[3] == "1", StringComparer.Ordinal);
        var remedy = new List<string>();
        foreach (string c in absent)
        {
            if (!enabled.TryGetValue(c, out bool on))
            {
                remedy.Add($"# The kernel has no {c} controller (not in /proc/cgroups).");
            }
            else if (!on)
            {
                remedy.Add($"# {c} is disabled on the kernel command line: add cgroup_enable={c} and boot again.");
            }
            else
            {
                remedy.Add($"{ctx.Sudo}mkdir -p /sys/fs/cgroup/{c}");
                remedy.Add($"{ctx.Sudo}mount -t cgroup -o {c} cgroup /sys/fs/cgroup/{c}");
            }
        }
        return Finding.Warn($"{seenV1}; missing {string.Join(", ", absent)}: libvirt cannot apply those limits to guests.", remedy.ToArray());
    }

    private static Finding SecurityDriver(HostCheckContext ctx)
    {
        string[] models = Array.Empty<string>();
        LibvirtConnection? conn = ctx.Connection;
        if (conn is not null)
        {
            XElement root = XElement.Parse(ctx.CapabilitiesXml(conn));
            models = root.Element("host")?.Elements("secmodel").Select(s => (string?)s.Element("model") ?? "").Where(m => m.Length > 0).ToArray()
                ?? Array.Empty<string>();
        }
        string driversText = conn is null ? "" : $"libvirt's security drivers: {(models.Length == 0 ? "none reported" : string.Join(", ", models))}";
        if (ctx.IsRemote)
        {
            if (conn is null)
            {
                return Finding.Skip("libvirt is not reachable at the URI (see LibvirtDaemon).");
            }
            return Finding.Pass($"{driversText} (the host's own AppArmor/SELinux state is not visible over a remote URI).");
        }

        bool apparmor = ctx.Fs.ReadText("/sys/module/apparmor/parameters/enabled")?.Trim() is "Y" or "1";
        string? enforce = ctx.Fs.ReadText("/sys/fs/selinux/enforce")?.Trim();
        bool selinux = enforce is not null;
        string hostText = apparmor ? "AppArmor is enabled"
            : selinux ? $"SELinux is {(enforce == "1" ? "enforcing" : "permissive")}"
            : "Neither AppArmor nor SELinux is active";
        if (conn is null)
        {
            return Finding.Skip($"{hostText}; libvirt is not reachable, so its security driver is unknown (see LibvirtDaemon).");
        }
        string seen = $"{hostText}; {driversText}";
        string? lsm = apparmor ? "apparmor" : selinux ? "selinux" : null;
        if (lsm is null)
        {
            return Finding.Pass(seen + (models.Contains("dac") ? ": guests are kept apart by user ids (dac)." : "."));
        }
        if (models.Contains(lsm))
        {
            return Finding.Pass(seen + ".");
        }
        if (!IsQemu(conn, out _))
        {
            return Finding.Pass(seen + " (not the QEMU driver).");
        }
        return Finding.Warn(seen + $": guests are not confined by {(apparmor ? "AppArmor" : "SELinux")}.",
            $"# Set security_driver = \"{lsm}\" in /etc/libvirt/qemu.conf (or remove a security_driver = \"none\" line), then restart the daemon:",
            ctx.Distro.HasSystemd ? $"{ctx.Sudo}systemctl restart libvirtd" : "# stop libvirtd, then start it again: libvirtd -d");
    }
}

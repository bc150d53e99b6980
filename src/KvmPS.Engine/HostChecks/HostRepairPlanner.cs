using System.Globalization;
using KvmPS.Engine.Host;
using static KvmPS.Engine.HostChecks.RepairSteps;

namespace KvmPS.Engine.HostChecks;

/// <summary>
/// Plans the safe remedies from the host's state as it is now (the check object only names
/// what to look at): load modules, enable nested virtualization, reserve huge pages, add the
/// user to groups, start the daemon, and, when allowed, install packages. Firmware, kernel
/// command line and cgroup layout changes are left to the administrator.
/// </summary>
public static class HostRepairPlanner
{
    /// <summary>
    /// Whether a check from Test-KvmHost is one to repair: it warned or failed, or it is
    /// HugePages and a count was given (a passing pool may still be too small for that count).
    /// </summary>
    public static bool Wants(KvmHostCheck check, RepairOptions options) =>
        check.Status is KvmCheckStatus.Warn or KvmCheckStatus.Fail
        || (check.Name == HostCheckNames.HugePages && options.HugePageCount is not null);

    public static RepairPlan Plan(string check, HostCheckContext ctx, RepairOptions options)
    {
        if (ctx.IsRemote)
        {
            return RepairPlan.Manual("Repairs run on the local host only: run Repair-KvmHost on that host.");
        }
        return check switch
        {
            HostCheckNames.KvmModules => KvmModules(ctx, options),
            HostCheckNames.KvmDevice => KvmDevice(ctx, options),
            HostCheckNames.UserGroups => UserGroups(ctx, options, new[] { "kvm", "libvirt" }),
            HostCheckNames.LibvirtDaemon => LibvirtDaemon(ctx, options),
            HostCheckNames.QemuEmulator => QemuEmulator(ctx, options),
            HostCheckNames.NestedVirtualization => Nested(ctx, options),
            HostCheckNames.HugePages => HugePages(ctx, options),
            HostCheckNames.VhostNet => VhostNet(ctx, options),
            HostCheckNames.Tun => Tun(ctx, options),
            HostCheckNames.CpuVirtualization => RepairPlan.Manual("Hardware virtualization is switched on in the firmware (or, in a VM, by its host): no command here can do it."),
            HostCheckNames.Iommu => RepairPlan.Manual("The IOMMU needs the firmware and the kernel command line, then a reboot: not changed automatically."),
            HostCheckNames.Cgroups => RepairPlan.Manual("The cgroup layout is the init system's and the kernel's: not changed automatically."),
            HostCheckNames.SecurityDriver => RepairPlan.Manual("libvirt's security driver is set in /etc/libvirt/qemu.conf: not changed automatically."),
            HostCheckNames.KvmDomainType => RepairPlan.Manual("libvirt offers kvm once /dev/kvm works and the daemon probes QEMU again: repair KvmModules and KvmDevice, then restart the daemon."),
            HostCheckNames.KvmGuestRuns => RepairPlan.Manual("Whether KVM runs a guest depends on the CPU, the firmware or the outer hypervisor: not changed automatically (see the remedy)."),
            _ => RepairPlan.Nothing,
        };
    }


    private static RepairPlan KvmModules(HostCheckContext ctx, RepairOptions o)
    {
        string? vendor = ctx.ExpectedVendorModule;
        if (vendor is null)
        {
            return ctx.PresentVendorModule is not null && ctx.IsPresent("kvm")
                ? RepairPlan.Nothing
                : RepairPlan.Manual("Without vmx or svm no KVM vendor module can load (see CpuVirtualization).");
        }
        if (ctx.IsPresent("kvm") && ctx.IsPresent(vendor))
        {
            return RepairPlan.Nothing;
        }
        // The vendor module pulls in kvm itself.
        return Modprobe(ctx, o, HostCheckNames.KvmModules, vendor, () => $"{ModuleText(ctx, "kvm")}, {ModuleText(ctx, vendor)}");
    }

    private static RepairPlan KvmDevice(HostCheckContext ctx, RepairOptions o)
    {
        HostNode n = ctx.Fs.Stat("/dev/kvm");
        if (!n.Exists)
        {
            if (ctx.Fs.Exists("/sys/class/misc/kvm/dev"))
            {
                return RepairPlan.Manual("The kernel has /dev/kvm but the node is missing (no udev here?): create it by hand with mknod, as the remedy shows.");
            }
            string? module = ctx.PresentVendorModule ?? ctx.ExpectedVendorModule;
            return module is null
                ? RepairPlan.Manual("Without vmx or svm there is no /dev/kvm (see CpuVirtualization).")
                : Modprobe(ctx, o, HostCheckNames.KvmDevice, module, () => Fresh(ctx).Fs.Stat("/dev/kvm").Exists ? "/dev/kvm exists" : "/dev/kvm missing");
        }
        if (n.Kind != HostNodeKind.CharDevice)
        {
            return RepairPlan.Manual("/dev/kvm is not a character device: replace it by hand, as the remedy shows.");
        }
        if (ctx.Fs.CanReadWrite("/dev/kvm"))
        {
            return RepairPlan.Nothing;
        }
        return n.Gid == 0
            ? RepairPlan.Manual("/dev/kvm belongs to group root: give it to group kvm by hand (chgrp kvm /dev/kvm), as the remedy shows.")
            : UserGroups(ctx, o, new[] { ctx.Identity.GroupName(n.Gid) }, HostCheckNames.KvmDevice);
    }

    private static RepairPlan UserGroups(HostCheckContext ctx, RepairOptions o, string[] groups, string check = HostCheckNames.UserGroups)
    {
        HostIdentity me = ctx.Identity;
        if (me.IsRoot)
        {
            return RepairPlan.Nothing;
        }
        var steps = new List<RepairStep>();
        var notes = new List<string>();
        var add = new List<string>();
        foreach (string g in groups)
        {
            if (me.FindGroup(g) is null)
            {
                if (g == "libvirt")
                {
                    var (install, note) = Install(ctx, o, check, ctx.Distro.LibvirtPackage, "The libvirt group does not exist");
                    if (install is null)
                    {
                        notes.Add(note!);
                        continue;
                    }
                    steps.Add(install);
                }
                else
                {
                    notes.Add($"The group {g} does not exist: create it by hand (groupadd --system {g}).");
                    continue;
                }
            }
            else if (me.HasGroup(me.FindGroup(g)!.Value.Gid) || me.IsListedIn(g))
            {
                continue;
            }
            add.Add(g);
        }
        string user = me.UserName;
        if (add.Count > 0)
        {
            steps.Add(Command(check, $"Add user {user} to group(s) {string.Join(", ", add)}", $"user {user}",
                () => GroupText(ctx, user, add), "usermod", "-aG", string.Join(',', add), user));
        }
        if (steps.Count > 0 || groups.Any(g => me.IsListedIn(g) && me.FindGroup(g) is { } e && !me.HasGroup(e.Gid)))
        {
            notes.Add($"{user} has new groups from the next login on: log out and back in (or run newgrp).");
        }
        return new RepairPlan(steps, notes.Count == 0 ? null : string.Join(" ", notes));
    }

    private static string GroupText(HostCheckContext ctx, string user, IEnumerable<string> groups)
    {
        HostIdentity fresh = HostIdentity.Read(ctx.Fs);
        return string.Join(", ", groups.Select(g => $"{g}: {(fresh.FindGroup(g) is { } e && e.Members.Contains(user) ? "member" : "not a member")}"));
    }

    private static RepairPlan LibvirtDaemon(HostCheckContext ctx, RepairOptions o)
    {
        if (ctx.Connection is not null || ctx.ConnectionError is not { } error)
        {
            return RepairPlan.Nothing;
        }
        if (error.Kind is KvmErrorKind.PermissionDenied or KvmErrorKind.AuthenticationFailed)
        {
            return UserGroups(ctx, o, new[] { "libvirt" }, HostCheckNames.LibvirtDaemon);
        }
        var steps = new List<RepairStep>();
        if (HostPrograms.DaemonProgram(ctx) is null || ctx.LibraryMissing)
        {
            var (install, note) = Install(ctx, o, HostCheckNames.LibvirtDaemon, ctx.Distro.LibvirtPackage, "libvirt's daemon is not installed");
            if (install is null)
            {
                return RepairPlan.Manual(note!);
            }
            steps.Add(install);
        }
        Func<string> state = () => DaemonState(ctx);
        foreach (string line in HostPrograms.StartDaemonCommands(ctx))
        {
            string[] words = line.Split(' ');
            if (words[0] == "virtlogd" && ProcessRunning(ctx, "/run/virtlogd.pid"))
            {
                continue;
            }
            steps.Add(Command(HostCheckNames.LibvirtDaemon, $"Start {(words[0] == "systemctl" ? words[^1] : words[0])}", ctx.Uri.Length == 0 ? "libvirt's daemon" : ctx.Uri,
                state, words[0], words[1..]));
        }
        return new RepairPlan(steps, null);
    }

    private static bool ProcessRunning(HostCheckContext ctx, string pidFile) =>
        ctx.Fs.ReadText(pidFile)?.Trim() is { Length: > 0 } pid && ctx.Fs.Exists("/proc/" + pid);

    private static string DaemonState(HostCheckContext ctx)
    {
        if (!ctx.Fs.IsLive)
        {
            return "not checked (fixture tree)";
        }
        try
        {
            using LibvirtConnection c = LibvirtConnection.Open(ctx.Uri);
            return $"libvirt {c.GetLibvirtVersion()} answers at {c.Uri}";
        }
        catch (LibvirtException e)
        {
            return "not reachable: " + e.LibvirtMessage;
        }
    }

    private static RepairPlan QemuEmulator(HostCheckContext ctx, RepairOptions o)
    {
        string arch = ctx.Architecture;
        if (HostPrograms.FindQemu(ctx, arch) is not null)
        {
            return RepairPlan.Nothing;
        }
        var (install, note) = Install(ctx, o, HostCheckNames.QemuEmulator, ctx.Distro.QemuPackage(arch), $"QEMU for {arch} is not installed");
        return install is null ? RepairPlan.Manual(note!) : new RepairPlan(new[] { install }, null);
    }

    private static RepairPlan Nested(HostCheckContext ctx, RepairOptions o)
    {
        string? module = ctx.PresentVendorModule;
        string param = $"/sys/module/{module}/parameters/nested";
        if (module is null || ctx.Fs.ReadText(param)?.Trim() is not { } value || value is "Y" or "1")
        {
            return RepairPlan.Nothing;
        }
        if (ctx.Module(module) == ModuleState.BuiltIn || !ctx.ModulesSupported)
        {
            return RepairPlan.Manual($"{module} is built into the kernel: add {module}.nested=1 to the kernel command line and boot again.");
        }
        string conf = HostPrograms.NestedConfFile;
        Func<string> nestedState = () => $"{ModuleText(ctx, module)}, nested = {Fresh(ctx).Fs.ReadText(param)?.Trim() ?? "(unknown)"}";
        var steps = new List<RepairStep>
        {
            new()
            {
                Check = HostCheckNames.NestedVirtualization,
                Action = $"Write 'options {module} nested=1' so {module} loads with nested virtualization",
                Target = conf,
                FilePath = conf,
                FileContent = $"options {module} nested=1\n",
                CreateFile = true,
                ReadState = () => ctx.Fs.ReadText(conf)?.Trim() is { Length: > 0 } t ? t : "(no file)",
            },
            // Reloading fails while a guest uses KVM: the setting then waits for the next boot.
            Command(HostCheckNames.NestedVirtualization, $"Unload {module} (fails while a guest runs)", module, nestedState, "modprobe", "-r", module),
            Command(HostCheckNames.NestedVirtualization, $"Load {module} with nested=1", module, nestedState, "modprobe", module),
        };
        return new RepairPlan(steps, null);
    }

    private static RepairPlan HugePages(HostCheckContext ctx, RepairOptions o)
    {
        if (o.HugePageCount is not { } wanted)
        {
            return RepairPlan.Manual("How many huge pages to reserve is the administrator's choice: give -HugePageCount (and -HugePageSize).");
        }
        var pools = HugePagePools.Read(ctx.Fs);
        if (pools.Count == 0)
        {
            return RepairPlan.Manual($"The kernel has no huge page pools ({HugePageSize.SysfsRoot}).");
        }
        bool whole = true;
        ulong sizeKiB = o.HugePageSizeBytes is { } b
            ? (whole = HugePageSize.TryBytesToKiB(b, out ulong kib)) ? kib : b / 1024
            : HugePageSize.DefaultKiB(HugePagePools.DefaultKiB(ctx.Fs), pools.Select(p => p.SizeKiB));
        HugePagePool? pool = whole ? pools.FirstOrDefault(p => p.SizeKiB == sizeKiB) : null;
        if (pool is null)
        {
            throw new ArgumentException($"The kernel has no {HugePageSize.Text(sizeKiB)} huge pages; its sizes are: {string.Join(", ", pools.Select(p => $"{p.SizeKiB * 1024} ({HugePageSize.Text(p.SizeKiB)})"))}.");
        }
        if (pool.Free >= wanted)
        {
            return RepairPlan.Nothing;
        }
        // Only ever raise the pool: pages in use or reserved by someone else stay.
        ulong target = pool.Total + (wanted - pool.Free);
        string size = HugePageSize.Text(sizeKiB);
        string dir = HugePagePools.PoolDirectory(sizeKiB);
        return new RepairPlan(new[]
        {
            new RepairStep
            {
                Check = HostCheckNames.HugePages,
                Action = $"Reserve {target - pool.Total} more {size} huge pages ({pool.Total} -> {target})",
                Target = pool.CountFile,
                FilePath = pool.CountFile,
                FileContent = target.ToString(CultureInfo.InvariantCulture),
                ReadState = () => $"{size}: {HugePagePools.ReadCount(ctx.Fs, dir + "/nr_hugepages")} reserved, {HugePagePools.ReadCount(ctx.Fs, dir + "/free_hugepages")} free",
            },
        }, null);
    }

    private static RepairPlan VhostNet(HostCheckContext ctx, RepairOptions o)
    {
        if (ctx.Fs.Stat("/dev/vhost-net").Kind == HostNodeKind.CharDevice)
        {
            return RepairPlan.Nothing;
        }
        if (ctx.IsPresent("vhost_net"))
        {
            return RepairPlan.Manual("vhost_net is in the kernel but /dev/vhost-net is missing (no udev here?): create it by hand with mknod.");
        }
        RepairPlan load = Modprobe(ctx, o, HostCheckNames.VhostNet, "vhost_net");
        if (load.Steps.Count == 0)
        {
            return load;
        }
        const string persist = "/etc/modules-load.d/vhost_net.conf";
        var steps = load.Steps.ToList();
        steps.Add(new RepairStep
        {
            Check = HostCheckNames.VhostNet,
            Action = "Load vhost_net at every boot",
            Target = persist,
            FilePath = persist,
            FileContent = "vhost_net\n",
            CreateFile = true,
            ReadState = () => ctx.Fs.ReadText(persist)?.Trim() is { Length: > 0 } t ? t : "(no file)",
        });
        return new RepairPlan(steps, null);
    }

    private static RepairPlan Tun(HostCheckContext ctx, RepairOptions o)
    {
        if (ctx.Fs.Stat("/dev/net/tun").Kind == HostNodeKind.CharDevice)
        {
            return RepairPlan.Nothing;
        }
        if (ctx.Fs.Exists("/sys/class/misc/tun/dev") || ctx.IsPresent("tun"))
        {
            return RepairPlan.Manual("tun is in the kernel but /dev/net/tun is missing (no udev here?): create it by hand with mknod, as the remedy shows.");
        }
        return Modprobe(ctx, o, HostCheckNames.Tun, "tun", () => Fresh(ctx).Fs.Stat("/dev/net/tun").Exists ? "/dev/net/tun exists" : "/dev/net/tun missing");
    }
}

using static KvmPS.Engine.HostChecks.HostCheckText;

namespace KvmPS.Engine.HostChecks.Checks;

/// <summary>Whether /dev/kvm exists as a character device that the user can open read-write.</summary>
internal sealed class KvmDeviceCheck : IHostCheck
{
    public string Name => HostCheckNames.KvmDevice;

    public HostCheckFinding Run(HostCheckContext ctx)
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
                return HostCheckFinding.Fail($"/dev/kvm does not exist, although the kernel offers it as device {dev}.",
                    $"{ctx.Sudo}mknod /dev/kvm c {mm[0]} {mm.ElementAtOrDefault(1)}",
                    $"{ctx.Sudo}chown root:kvm /dev/kvm",
                    $"{ctx.Sudo}chmod 0660 /dev/kvm");
            }
            string module = ctx.PresentVendorModule ?? ctx.VendorModuleForCpu;
            string[] remedy = ctx.ExpectedVendorModule is null && ctx.PresentVendorModule is null
                ? new[] { "# See CpuVirtualization: without vmx or svm there is no /dev/kvm." }
                : LoadModuleRemedy(ctx, module, $"CONFIG_KVM and CONFIG_{module.ToUpperInvariant()}");
            return HostCheckFinding.Fail($"/dev/kvm does not exist (kvm {State(ctx.Module("kvm"))}, {module} {State(ctx.Module(module))}).", remedy);
        }
        if (n.Kind != HostNodeKind.CharDevice)
        {
            return HostCheckFinding.Fail($"/dev/kvm is a {n.Kind}, not a character device.",
                $"{ctx.Sudo}rm /dev/kvm", $"{ctx.Sudo}mknod /dev/kvm c 10 232", $"{ctx.Sudo}chown root:kvm /dev/kvm", $"{ctx.Sudo}chmod 0660 /dev/kvm");
        }
        string text = DeviceText(ctx, "/dev/kvm", n);
        if (ctx.Fs.CanReadWrite("/dev/kvm"))
        {
            return HostCheckFinding.Pass($"{text}; read-write for {me.UserName}{(me.IsRoot && me.UserName != "root" ? " (uid 0)" : "")}.");
        }
        string group = ctx.Identity.GroupName(n.Gid);
        string[] fix = n.Gid == 0
            ? new[] { $"{ctx.Sudo}chgrp kvm /dev/kvm", $"{ctx.Sudo}chmod 0660 /dev/kvm", $"{ctx.Sudo}usermod -aG kvm {me.UserName}", "# then log out and back in" }
            : me.IsListedIn(group)
                ? new[] { $"# {me.UserName} is in {group} in /etc/group but not in this login: log out and back in (or run: newgrp {group})" }
                : new[] { $"{ctx.Sudo}usermod -aG {group} {me.UserName}", $"# then log out and back in (or run: newgrp {group})" };
        return HostCheckFinding.Fail($"{text}; {me.UserName} (uid {me.Uid}) cannot open it read-write.", fix);
    }
}

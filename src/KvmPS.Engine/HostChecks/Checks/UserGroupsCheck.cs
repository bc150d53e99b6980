using static KvmPS.Engine.HostChecks.HostCheckText;

namespace KvmPS.Engine.HostChecks.Checks;

/// <summary>Whether the user is in the kvm and libvirt groups, in /etc/group and in this login.</summary>
internal sealed class UserGroupsCheck : IHostCheck
{
    public string Name => HostCheckNames.UserGroups;

    public HostCheckFinding Run(HostCheckContext ctx)
    {
        HostIdentity me = ctx.Identity;
        if (me.IsRoot)
        {
            return HostCheckFinding.Pass($"Running as {me.UserName} (uid 0): /dev/kvm and libvirt's system socket need no group.");
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
        if (missingGroups.Contains("libvirt") && InstallLine(ctx, ctx.Distro.LibvirtPackage) is { } install)
        {
            remedy.Add("# The libvirt group comes with libvirt's daemon package:");
            remedy.Add(install);
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
            return HostCheckFinding.Fail(message + ".", remedy.ToArray());
        }
        if (!libvirtActive)
        {
            return HostCheckFinding.Warn(message + (kvmActive ? "" : " (/dev/kvm is usable anyway)")
                + "; without the libvirt group qemu:///system needs root or polkit.", remedy.ToArray());
        }
        return HostCheckFinding.Pass(message + ".");
    }
}

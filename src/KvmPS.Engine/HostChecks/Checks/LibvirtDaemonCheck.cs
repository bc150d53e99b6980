using static KvmPS.Engine.HostChecks.HostCheckText;
using static KvmPS.Engine.HostChecks.HostPrograms;

namespace KvmPS.Engine.HostChecks.Checks;

/// <summary>Whether libvirt answers at the URI, and why not.</summary>
internal sealed class LibvirtDaemonCheck : IHostCheck
{
    public string Name => HostCheckNames.LibvirtDaemon;

    public HostCheckFinding Run(HostCheckContext ctx)
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
            return HostCheckFinding.Pass($"libvirt {conn.GetLibvirtVersion()} answers at {conn.Uri} ({how}); client library {client}.");
        }
        LibvirtException? e = ctx.ConnectionError;
        if (e is null)
        {
            return HostCheckFinding.Skip("No libvirt connection was requested.");
        }
        if (ctx.LibraryMissing)
        {
            // The daemon's package brings the library; a remote host needs only the library.
            string package = ctx.IsRemote ? ctx.Distro.LibvirtClientPackage : ctx.Distro.LibvirtPackage;
            return HostCheckFinding.Fail(e.LibvirtMessage, InstallLine(ctx, package) is { } lib
                ? new[] { lib }
                : new[] { $"# Install libvirt ({package}) with the distribution's package manager." });
        }
        string seen = $"Cannot connect to {shown}: {e.LibvirtMessage}";
        if (ctx.IsRemote)
        {
            return HostCheckFinding.Fail(seen, $"# Check that libvirt's daemon runs on {HostCheckContext.HostPart(ctx.Uri) ?? "the remote host"} and that this URI reaches it: virsh -c '{ctx.Uri}' version");
        }
        if (e.Kind is KvmErrorKind.PermissionDenied or KvmErrorKind.AuthenticationFailed)
        {
            return HostCheckFinding.Fail(seen, $"{ctx.Sudo}usermod -aG libvirt {ctx.Identity.UserName}", "# then log out and back in (or run: newgrp libvirt)");
        }
        var remedy = new List<string>();
        if (DaemonProgram(ctx) is null && InstallLine(ctx, ctx.Distro.LibvirtPackage) is { } install)
        {
            remedy.Add(install);
        }
        remedy.AddRange(StartDaemonCommands(ctx).Select(c => ctx.Sudo + c));
        return HostCheckFinding.Fail(seen + ".", remedy.ToArray());
    }
}

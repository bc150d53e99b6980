using KvmPS.Engine.Host;
using static KvmPS.Engine.HostChecks.HostPrograms;

namespace KvmPS.Engine.HostChecks.Checks;

/// <summary>Whether libvirt offers the kvm domain type (not only TCG).</summary>
internal sealed class KvmDomainTypeCheck : IHostCheck
{
    public string Name => HostCheckNames.KvmDomainType;

    public HostCheckFinding Run(HostCheckContext ctx)
    {
        LibvirtConnection? conn = ctx.Connection;
        if (conn is null)
        {
            return HostCheckFinding.LibvirtUnreachable();
        }
        CapabilitiesInfo caps = HostInfoReader.ParseCapabilities(ctx.CapabilitiesXml(conn));
        string offered = caps.DomainTypes.Length == 0 ? "none" : string.Join(", ", caps.DomainTypes);
        if (!IsQemu(conn, out string type))
        {
            return HostCheckFinding.Skip($"The {type} driver is not QEMU/KVM; it offers domain types: {offered}.");
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
            return HostCheckFinding.Pass($"Domain types for {caps.Architecture}: {offered}; domain capabilities for kvm: {kvmCaps}.");
        }
        string seen = $"Domain types for {caps.Architecture}: {offered}; no kvm"
            + (error is null ? "" : $" (domain capabilities: {error})") + ": guests run under TCG software emulation only.";
        if (ctx.IsRemote)
        {
            return HostCheckFinding.Fail(seen, "# Make /dev/kvm usable on that host (run Test-KvmHost there), then restart its libvirt daemon.");
        }
        var remedy = new List<string> { "# Make /dev/kvm usable first (see KvmModules, KvmDevice), then restart libvirt's daemon so it probes QEMU again:" };
        remedy.Add(ctx.Distro.HasSystemd
            ? $"{ctx.Sudo}systemctl restart {(IsModularDaemon(ctx) ? "virtqemud" : "libvirtd")}"
            : "# stop libvirtd, then start it again: libvirtd -d");
        return HostCheckFinding.Fail(seen, remedy.ToArray());
    }
}

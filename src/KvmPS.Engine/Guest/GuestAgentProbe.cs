using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Engine.Guest;

/// <summary>Finds out whether a VM's agent can be used, without failing: every cause ends up in the status.</summary>
public static class GuestAgentProbe
{
    private static readonly string[] s_exec = { "guest-exec", "guest-exec-status" };
    private static readonly string[] s_file = { "guest-file-open", "guest-file-read", "guest-file-write", "guest-file-close" };

    public static KvmGuestAgentStatus Probe(DomainHandle h, string vmName, string uri)
    {
        bool active = DomainService.IsActive(h);
        var (configured, connected) = GuestChannel.Read(LibvirtConnection.GetXml(h));
        if (!configured)
        {
            return new KvmGuestAgentStatus { VMName = vmName, Problem = GuestAgentErrors.AbsentMessage(vmName), Uri = uri };
        }
        if (!active)
        {
            return new KvmGuestAgentStatus { VMName = vmName, Configured = true, Problem = $"VM '{vmName}' is not running.", Uri = uri };
        }
        if (connected == false)
        {
            return new KvmGuestAgentStatus { VMName = vmName, Configured = true, Connected = false, Problem = GuestAgentErrors.NotRunningMessage(vmName), Uri = uri };
        }
        var agent = new GuestAgent(vmName, (json, timeout) => LibvirtQemu.AgentCommand(h, json, timeout));
        return FromAgent(agent, connected, uri);
    }

    /// <summary>The status from a reachable channel's agent (ping, then guest-info's command list).</summary>
    public static KvmGuestAgentStatus FromAgent(GuestAgent agent, bool? connected, string uri)
    {
        try
        {
            agent.Ping();
            var (version, commands) = agent.Info();
            bool exec = agent.Allows(s_exec);
            bool file = agent.Allows(s_file);
            string[] disabled = commands.Where(c => !c.Value).Select(c => c.Key).OrderBy(c => c, StringComparer.Ordinal).ToArray();
            string? problem = exec && file ? null
                : $"The guest agent of VM '{agent.VMName}' blocks {string.Join(", ", s_exec.Concat(s_file).Where(c => !agent.Allows(c)))} (the default policy of RHEL-family guests). {GuestAgentErrors.PolicyFix("guest-exec")}";
            return new KvmGuestAgentStatus
            {
                VMName = agent.VMName, Configured = true, Connected = connected ?? true, Responding = true, Version = version,
                ExecAllowed = exec, FileAccessAllowed = file, DisabledCommands = disabled, Problem = problem, Uri = uri,
            };
        }
        catch (GuestAgentException e)
        {
            return new KvmGuestAgentStatus { VMName = agent.VMName, Configured = true, Connected = connected, Problem = e.Message, Uri = uri };
        }
    }
}

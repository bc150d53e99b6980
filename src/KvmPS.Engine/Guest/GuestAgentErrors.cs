namespace KvmPS.Engine.Guest;

/// <summary>
/// Turns what libvirt says about an agent command into a <see cref="GuestAgentException"/> that
/// names the cause and the fix. libvirt's messages are the only signal for some causes (a policy
/// refusal is a generic error carrying the agent's "has been disabled" text), so they are matched
/// along with the codes.
/// </summary>
public static class GuestAgentErrors
{
    /// <summary>What a blocked command needs in the guest (qemu-ga's allow/block lists).</summary>
    public static string PolicyFix(string command) =>
        $"In the guest, allow it in qemu-ga's command filter: start qemu-ga with --allow-rpcs (-b is its block list: remove '{command}' from it), " +
        $"e.g. on RHEL, CentOS, Rocky or Alma add {command} to FILTER_RPC_ARGS=\"--allow-rpcs=...\" (older releases: remove it from BLACKLIST_RPC) in /etc/sysconfig/qemu-ga, " +
        "then run 'systemctl restart qemu-guest-agent'.";

    public static string AbsentMessage(string vm) =>
        $"VM '{vm}' has no guest agent channel (org.qemu.guest_agent.0) in its definition, so libvirt cannot reach an agent. " +
        "Add a channel of type unix with target type virtio and name org.qemu.guest_agent.0 (virsh edit, or New-KvmVM's defaults) and restart the VM.";

    public static string NotRunningMessage(string vm) =>
        $"VM '{vm}' has a guest agent channel but no agent is connected to it. " +
        "Install and start qemu-guest-agent in the guest (e.g. 'apt install qemu-guest-agent' or 'dnf install qemu-guest-agent', then 'systemctl enable --now qemu-guest-agent').";

    /// <summary>Classifies a failed virDomainQemuAgentCommand for <paramref name="command"/> on VM <paramref name="vm"/>.</summary>
    public static GuestAgentException Classify(LibvirtException e, string vm, string command)
    {
        string m = e.LibvirtMessage;
        bool has(string s) => m.Contains(s, StringComparison.OrdinalIgnoreCase);
        if (has("has been disabled") || has("disabled for this instance"))
        {
            return new GuestAgentException(GuestAgentFailure.CommandDisabled,
                $"The guest agent of VM '{vm}' refuses '{command}': its policy blocks the command (the default on RHEL-family guests). {PolicyFix(command)}", e);
        }
        if (has("not configured"))
        {
            return new GuestAgentException(GuestAgentFailure.Absent, AbsentMessage(vm), e);
        }
        if (e.Code == LibvirtErrorCode.AgentUnresponsive || has("not connected") || has("not responding") || has("not synced"))
        {
            return new GuestAgentException(GuestAgentFailure.NotRunning, NotRunningMessage(vm) + $" (libvirt: {m})", e);
        }
        if (e.Code == LibvirtErrorCode.OperationInvalid && has("not running"))
        {
            return new GuestAgentException(GuestAgentFailure.VMNotRunning, $"VM '{vm}' is not running: its guest agent can only be reached while it runs.", e);
        }
        if ((int)e.Code == AgentCommandTimeoutCode || has("timed out") || has("timeout"))
        {
            return new GuestAgentException(GuestAgentFailure.Timeout, $"The guest agent of VM '{vm}' did not answer '{command}' in time: {m}", e);
        }
        if (has("has not been found") || has("CommandNotFound") || has("not supported by the guest"))
        {
            return new GuestAgentException(GuestAgentFailure.CommandUnknown,
                $"The guest agent of VM '{vm}' does not know '{command}': update qemu-guest-agent in the guest. ({m})", e);
        }
        if (PayloadLimit.IsEncodeFailure(e.Code, m) || has("too large") || has("exceeds maximum"))
        {
            return new GuestAgentException(GuestAgentFailure.TooLarge,
                $"The agent's reply to '{command}' from VM '{vm}' is larger than libvirt carries ({PayloadLimit.StringMaxBytes / 1048576} MiB per string). {m}", e);
        }
        return new GuestAgentException(GuestAgentFailure.CommandFailed, $"The guest agent of VM '{vm}' failed '{command}': {m}", e);
    }

    /// <summary>VIR_ERR_AGENT_COMMAND_TIMEOUT (libvirt 9.x and later).</summary>
    internal const int AgentCommandTimeoutCode = 112;
}

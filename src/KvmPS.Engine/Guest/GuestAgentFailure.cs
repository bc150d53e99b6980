namespace KvmPS.Engine.Guest;

/// <summary>Why the guest agent could not do what was asked; each has its own ErrorId in the cmdlets.</summary>
public enum GuestAgentFailure
{
    /// <summary>The definition has no org.qemu.guest_agent.0 channel: libvirt has nothing to talk to.</summary>
    Absent,

    /// <summary>The channel exists but no agent is connected to it (qemu-ga not installed or not started in the guest).</summary>
    NotRunning,

    /// <summary>The agent runs but its policy blocks the command (RHEL-family default for guest-exec and guest-file-*).</summary>
    CommandDisabled,

    /// <summary>The agent does not know the command (an older qemu-ga).</summary>
    CommandUnknown,

    /// <summary>The VM is not running.</summary>
    VMNotRunning,

    /// <summary>The agent did not answer in time.</summary>
    Timeout,

    /// <summary>The agent ran the command and reported a failure (a missing file, a denied open).</summary>
    CommandFailed,

    /// <summary>The reply would not fit libvirt's message limit, or the agent capped the output.</summary>
    TooLarge,
}

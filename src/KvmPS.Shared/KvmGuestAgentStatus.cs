namespace KvmPS;

/// <summary>Whether a VM's guest agent can be used, and for what (Test-KvmVMGuestAgent).</summary>
public sealed class KvmGuestAgentStatus
{
    /// <summary>Name of the VM.</summary>
    public string VMName { get; internal init; } = "";

    /// <summary>Whether the definition has the agent channel.</summary>
    public bool Configured { get; internal init; }

    /// <summary>Whether an agent is connected to the channel (from the live definition), null when libvirt does not say.</summary>
    public bool? Connected { get; internal init; }

    /// <summary>Whether the agent answered guest-ping.</summary>
    public bool Responding { get; internal init; }

    /// <summary>The agent's version.</summary>
    public string? Version { get; internal init; }

    /// <summary>Whether guest-exec and guest-exec-status are allowed (Invoke-KvmVMScript).</summary>
    public bool ExecAllowed { get; internal init; }

    /// <summary>Whether guest-file-open/read/write/close are allowed (Copy-KvmVMFile).</summary>
    public bool FileAccessAllowed { get; internal init; }

    /// <summary>Commands the agent knows but its policy blocks.</summary>
    public string[] DisabledCommands { get; internal init; } = Array.Empty<string>();

    /// <summary>Whether the agent responds and allows running programs and file access.</summary>
    public bool IsReady => Responding && ExecAllowed && FileAccessAllowed;

    /// <summary>What is wrong and how to fix it, or null when all is well.</summary>
    public string? Problem { get; internal init; }

    /// <summary>The connection URI.</summary>
    public string Uri { get; internal init; } = "";
}

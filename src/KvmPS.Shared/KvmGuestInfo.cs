namespace KvmPS;

/// <summary>What a running guest reports about itself (Get-KvmVMGuestInfo).</summary>
public sealed class KvmGuestInfo
{
    /// <summary>Name of the VM.</summary>
    public string VMName { get; internal init; } = "";

    /// <summary>Whether the guest agent answered; without it only the interfaces are known.</summary>
    public bool AgentResponding { get; internal init; }

    /// <summary>Why the agent gave nothing (absent, not running), or null.</summary>
    public string? AgentProblem { get; internal init; }

    /// <summary>The agent's version.</summary>
    public string? AgentVersion { get; internal init; }

    /// <summary>Operating system name (e.g. Debian GNU/Linux).</summary>
    public string? OSName { get; internal init; }

    /// <summary>Operating system version.</summary>
    public string? OSVersion { get; internal init; }

    /// <summary>The OS's id (debian, rhel, mswindows...).</summary>
    public string? OSId { get; internal init; }

    /// <summary>Kernel release (uname -r).</summary>
    public string? KernelRelease { get; internal init; }

    /// <summary>Machine architecture as the guest sees it.</summary>
    public string? Machine { get; internal init; }

    /// <summary>The guest's host name.</summary>
    public string? HostName { get; internal init; }

    /// <summary>Users logged in.</summary>
    public string[] Users { get; internal init; } = Array.Empty<string>();

    /// <summary>Time zone name.</summary>
    public string? TimeZone { get; internal init; }

    /// <summary>Offset of the time zone from UTC.</summary>
    public TimeSpan? TimeZoneOffset { get; internal init; }

    /// <summary>Mounted file systems.</summary>
    public KvmGuestFileSystem[] FileSystems { get; internal init; } = Array.Empty<KvmGuestFileSystem>();

    /// <summary>Network interfaces with their addresses.</summary>
    public KvmGuestInterface[] Interfaces { get; internal init; } = Array.Empty<KvmGuestInterface>();

    /// <summary>The connection URI.</summary>
    public string Uri { get; internal init; } = "";
}

namespace KvmPS;

/// <summary>A Register-KvmEvent registration (Get-KvmEvent -Registration lists them; Unregister-KvmEvent ends them).</summary>
public sealed class KvmEventRegistration
{
    /// <summary>The source identifier: what Get-Event, Wait-Event and Unregister-Event know it by.</summary>
    public string SourceIdentifier { get; internal init; } = "";

    /// <summary>Event kinds it receives (connection notices always come too).</summary>
    public KvmEventType[] EventType { get; internal init; } = Array.Empty<KvmEventType>();

    /// <summary>VM names or wildcards it is limited to; empty for every VM.</summary>
    public string[] VMName { get; internal init; } = Array.Empty<string>();

    /// <summary>Connection URI of the host.</summary>
    public string Uri { get; internal init; } = "";

    /// <summary>When it was registered (UTC).</summary>
    public DateTime Registered { get; internal init; }

    /// <summary>Events it has passed on so far.</summary>
    public long Received { get; internal init; }
}

namespace KvmPS;

/// <summary>
/// An event from libvirt about a VM, or a connection notice (Register-KvmEvent, Wait-KvmEvent,
/// Get-KvmEvent). It is the .NET event's arguments too: in an -Action block or from Get-Event it is
/// <c>$Event.SourceEventArgs</c>.
/// </summary>
public sealed class KvmEvent : EventArgs
{
    /// <summary>Number of the event, counting up per host from the first one received.</summary>
    public long SequenceNumber { get; internal init; }

    /// <summary>When KvmPS received the event (UTC).</summary>
    public DateTime TimeCreated { get; internal init; }

    /// <summary>Kind of event.</summary>
    public KvmEventType EventType { get; internal init; }

    /// <summary>What happened, e.g. Started, Stopped, Suspended for Lifecycle; Connected for Agent; Completed for a block job.</summary>
    public string Event { get; internal init; } = "";

    /// <summary>Why or how, e.g. Booted, Destroyed, Shutdown; empty when libvirt gives no detail.</summary>
    public string Detail { get; internal init; } = "";

    /// <summary>Name of the VM (empty for a connection notice).</summary>
    public string VMName { get; internal init; } = "";

    /// <summary>UUID of the VM (empty for a connection notice).</summary>
    public Guid Uuid { get; internal init; }

    /// <summary>Connection URI of the host.</summary>
    public string Uri { get; internal init; } = "";

    /// <summary>The event's own values (a disk, a device alias, a block job type, job statistics), by name.</summary>
    public IReadOnlyDictionary<string, object> Data { get; internal init; } = new Dictionary<string, object>();

    /// <summary>A sentence that says what happened.</summary>
    public string Message { get; internal init; } = "";

    public override string ToString() => Message;
}

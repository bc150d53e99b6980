namespace KvmPS.Engine.Events;

/// <summary>
/// One registration's view of a host's events: the kinds and VMs it wants, and the .NET event
/// PowerShell's eventing subscribes to (Register-KvmEvent hands this object to
/// PSEventManager.SubscribeEvent, so Get-Event, Wait-Event and -Action work as for
/// Register-ObjectEvent). Connection notices (lost, re-established) always pass the filter.
/// The event is raised on libvirt's event-loop thread; handlers must only queue (PowerShell's do).
/// </summary>
public sealed class EventSubscription
{
    private readonly HashSet<KvmEventType> _types;
    private readonly List<NameMatch> _names;
    private long _received;

    public EventSubscription(string sourceIdentifier, string uri, IEnumerable<KvmEventType> types, IEnumerable<string>? vmNames)
    {
        SourceIdentifier = sourceIdentifier;
        Uri = uri;
        _types = types.ToHashSet();
        VMNames = vmNames?.ToArray() ?? Array.Empty<string>();
        _names = VMNames.Select(NameMatch.For).ToList();
        Registered = DateTime.UtcNow;
    }

    public string SourceIdentifier { get; }

    public string Uri { get; }

    public IReadOnlyCollection<KvmEventType> Types => _types;

    public string[] VMNames { get; }

    public DateTime Registered { get; }

    /// <summary>Events passed on so far.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Raised for each accepted event (the arguments are the event).</summary>
    public event EventHandler<KvmEvent>? EventArrived;

    /// <summary>Whether the event is one this registration asked for.</summary>
    public bool Accepts(KvmEvent e) =>
        e.EventType == KvmEventType.Connection
        || (_types.Contains(e.EventType) && (_names.Count == 0 || _names.Any(m => m.Matches(e.VMName))));

    /// <summary>Passes an accepted event on; a handler's failure never reaches libvirt's thread.</summary>
    internal void Offer(KvmEvent e)
    {
        if (!Accepts(e))
        {
            return;
        }
        Interlocked.Increment(ref _received);
        try
        {
            EventArrived?.Invoke(this, e);
        }
        catch (Exception)
        {
            // A subscriber's own failure is its business; the event loop must go on.
        }
    }

    /// <summary>The public description of the registration.</summary>
    public KvmEventRegistration Describe() => new()
    {
        SourceIdentifier = SourceIdentifier,
        EventType = _types.OrderBy(t => t).ToArray(),
        VMName = VMNames,
        Uri = Uri,
        Registered = Registered,
        Received = Received,
    };
}

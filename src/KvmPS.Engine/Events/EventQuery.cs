namespace KvmPS.Engine.Events;

/// <summary>Which events Get-KvmEvent shows and Wait-KvmEvent waits for: kinds, VM names (wildcards), event names, a start time.</summary>
public sealed class EventQuery
{
    private readonly HashSet<KvmEventType>? _types;
    private readonly List<NameMatch> _names;
    private readonly HashSet<string>? _events;

    public EventQuery(IEnumerable<KvmEventType>? types, IEnumerable<string>? vmNames, IEnumerable<string>? events, DateTime? sinceUtc)
    {
        _types = types?.ToHashSet() is { Count: > 0 } t ? t : null;
        _names = (vmNames ?? Array.Empty<string>()).Select(NameMatch.For).ToList();
        _events = events?.ToHashSet(StringComparer.OrdinalIgnoreCase) is { Count: > 0 } e ? e : null;
        SinceUtc = sinceUtc;
    }

    public DateTime? SinceUtc { get; }

    /// <summary>The kinds asked for; every kind when none was given.</summary>
    public IReadOnlyCollection<KvmEventType> Types => _types ?? (IReadOnlyCollection<KvmEventType>)Enum.GetValues<KvmEventType>();

    public bool Matches(KvmEvent e) =>
        (_types is null || _types.Contains(e.EventType))
        && (_names.Count == 0 || _names.Any(m => m.Matches(e.VMName)))
        && (_events is null || _events.Contains(e.Event) || _events.Contains(e.Detail))
        && (SinceUtc is not DateTime since || e.TimeCreated >= since);
}

namespace KvmPS.Engine.Statistics;

/// <summary>
/// Which VMs of a bulk sample a statistics cmdlet shows: names as Get-KvmVM matches them (a
/// literal exactly, a wildcard case-insensitively), VM objects by UUID; everything when both are empty.
/// </summary>
public sealed class VmSelection
{
    private readonly List<NameMatch> _names = new();
    private readonly HashSet<Guid> _uuids = new();
    private bool _everyName;

    public void AddName(string typed)
    {
        // "*" (the default) selects every VM: no pattern to run a thousand times.
        _everyName |= typed == "*";
        _names.Add(NameMatch.For(typed));
    }

    public void AddUuid(Guid uuid) => _uuids.Add(uuid);

    public bool IsEmpty => _names.Count == 0 && _uuids.Count == 0;

    /// <summary>At most this many literal names and UUIDs are looked up one by one; more take the bulk call for all.</summary>
    public const int TargetedLimit = 16;

    /// <summary>
    /// Whether the selection is a few exact names and UUIDs (no wildcard, not every VM), so that
    /// looking each up and asking only their statistics costs less than everyone's.
    /// </summary>
    public bool IsTargeted =>
        !IsEmpty && !_everyName && !_names.Exists(m => m.IsWildcard) && _names.Select(m => m.Typed).Distinct().Count() + _uuids.Count <= TargetedLimit;

    /// <summary>The literal names, each once, in the order given.</summary>
    public IEnumerable<string> LiteralNames => _names.Where(m => !m.IsWildcard).Select(m => m.Typed).Distinct(StringComparer.Ordinal);

    public IEnumerable<Guid> Uuids => _uuids;

    public bool Includes(DomainStatsRecord r) =>
        IsEmpty || _everyName || _uuids.Contains(r.Uuid) || _names.Exists(m => m.Matches(r.Name));

    /// <summary>Literal names no record has (to report as not found); wildcards that match nothing are silent.</summary>
    public IEnumerable<string> MissingNames(IEnumerable<DomainStatsRecord> records)
    {
        if (!_names.Exists(m => !m.IsWildcard))
        {
            return Array.Empty<string>();
        }
        var names = records.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        return _names.Where(m => !m.IsWildcard && !names.Contains(m.Typed)).Select(m => m.Typed).Distinct();
    }

    /// <summary>UUIDs of VM objects no record has (the VM was removed since it was read).</summary>
    public IEnumerable<Guid> MissingUuids(IEnumerable<DomainStatsRecord> records)
    {
        if (_uuids.Count == 0)
        {
            return Array.Empty<Guid>();
        }
        var present = records.Select(r => r.Uuid).ToHashSet();
        return _uuids.Where(u => !present.Contains(u));
    }
}

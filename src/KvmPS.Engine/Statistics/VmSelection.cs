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

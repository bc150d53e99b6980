namespace KvmPS.Engine.Statistics;

/// <summary>
/// Which VMs of a bulk sample a statistics cmdlet shows: names as Get-KvmVM matches them (a
/// literal exactly, a wildcard case-insensitively), VM objects by UUID; everything when both are empty.
/// </summary>
public sealed class VmSelection
{
    private readonly List<NameMatch> _names = new();
    private readonly HashSet<Guid> _uuids = new();

    public void AddName(string typed) => _names.Add(NameMatch.For(typed));

    public void AddUuid(Guid uuid) => _uuids.Add(uuid);

    public bool IsEmpty => _names.Count == 0 && _uuids.Count == 0;

    public bool Includes(DomainStatsRecord r) =>
        IsEmpty || _uuids.Contains(r.Uuid) || _names.Any(m => m.Matches(r.Name));

    /// <summary>Literal names no record has (to report as not found); wildcards that match nothing are silent.</summary>
    public IEnumerable<string> MissingNames(IEnumerable<DomainStatsRecord> records)
    {
        var names = records.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        return _names.Where(m => !m.IsWildcard && !names.Contains(m.Typed)).Select(m => m.Typed).Distinct();
    }

    /// <summary>UUIDs of VM objects no record has (the VM was removed since it was read).</summary>
    public IEnumerable<Guid> MissingUuids(IEnumerable<DomainStatsRecord> records)
    {
        var present = records.Select(r => r.Uuid).ToHashSet();
        return _uuids.Where(u => !present.Contains(u));
    }
}

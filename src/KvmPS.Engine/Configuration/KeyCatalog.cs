namespace KvmPS.Engine.Configuration;

/// <summary>
/// The keys a configuration may use: per resource kind, the parameter names of its New-* cmdlet
/// (with their aliases, matched without regard to case, mapped to the canonical spelling), and
/// for VMs the tuning tables with the parameters of their Set-* cmdlets.
/// </summary>
public sealed class KeyCatalog
{
    public static readonly string[] TuningKeys = { "Cpu", "CpuPin", "Numa", "MemoryBacking" };

    private readonly Dictionary<KvmResourceKind, Dictionary<string, string>> kinds = new();
    private readonly Dictionary<string, Dictionary<string, string>> tuning = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Adds a kind's parameters: canonical name → its aliases.</summary>
    public KeyCatalog Add(KvmResourceKind kind, IEnumerable<(string Name, IEnumerable<string> Aliases)> parameters)
    {
        kinds[kind] = Map(parameters);
        return this;
    }

    /// <summary>Adds a tuning table's parameters (Cpu → Set-KvmCpu's).</summary>
    public KeyCatalog AddTuning(string table, IEnumerable<(string Name, IEnumerable<string> Aliases)> parameters)
    {
        tuning[table] = Map(parameters);
        return this;
    }

    /// <summary>The canonical key, or null when the kind has no such parameter.</summary>
    public string? Resolve(KvmResourceKind kind, string key)
    {
        if (kind == KvmResourceKind.VM && TuningKeys.FirstOrDefault(t => string.Equals(t, key, StringComparison.OrdinalIgnoreCase)) is string t2)
        {
            return t2;
        }
        return kinds.TryGetValue(kind, out var map) && map.TryGetValue(key, out string? name) ? name : null;
    }

    public string? ResolveTuning(string table, string key) =>
        tuning.TryGetValue(table, out var map) && map.TryGetValue(key, out string? name) ? name : null;

    public IEnumerable<string> Names(KvmResourceKind kind) =>
        kinds.TryGetValue(kind, out var map) ? map.Values.Distinct().OrderBy(n => n, StringComparer.Ordinal) : Enumerable.Empty<string>();

    public IEnumerable<string> TuningNames(string table) =>
        tuning.TryGetValue(table, out var map) ? map.Values.Distinct().OrderBy(n => n, StringComparer.Ordinal) : Enumerable.Empty<string>();

    private static Dictionary<string, string> Map(IEnumerable<(string Name, IEnumerable<string> Aliases)> parameters)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, aliases) in parameters)
        {
            map[name] = name;
            foreach (string a in aliases)
            {
                map.TryAdd(a, name);
            }
        }
        return map;
    }
}

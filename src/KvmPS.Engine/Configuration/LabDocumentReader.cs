using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace KvmPS.Engine.Configuration;

/// <summary>
/// Reads a configuration (a tree of dictionaries, lists and values from a .psd1, JSON or YAML
/// file) into resources, checking every key against the cmdlets' parameters before anything is
/// planned: a misspelt key is an error, never silently ignored.
/// </summary>
public static class LabDocumentReader
{
    private static readonly (string Key, KvmResourceKind Kind)[] Sections =
    {
        ("Networks", KvmResourceKind.Network),
        ("StoragePools", KvmResourceKind.StoragePool),
        ("Volumes", KvmResourceKind.Volume),
        ("VMs", KvmResourceKind.VM),
    };

    /// <summary>Keys every resource may carry besides its cmdlet's parameters.</summary>
    private static readonly string[] Common = { "Name", "Uri", "Ensure" };

    public static LabDocument FromJson(string json, KeyCatalog catalog, string defaultUri) =>
        FromTree(ReadJsonTree(json), catalog, defaultUri);

    /// <summary>A JSON configuration text as a plain tree (comments and trailing commas allowed).</summary>
    public static IDictionary ReadJsonTree(string json)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return Plain(doc.RootElement) as IDictionary
                ?? throw new ConfigurationException("ConfigurationFileInvalid", "The configuration must be an object with the keys Uri, Networks, StoragePools, Volumes and VMs.");
        }
        catch (JsonException e)
        {
            throw new ConfigurationException("ConfigurationFileInvalid", $"The configuration is not valid JSON: {e.Message}");
        }
    }

    /// <summary>A JSON value as plain .NET values: dictionaries, object arrays, strings, longs/doubles, bools.</summary>
    public static object? Plain(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().Aggregate(new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase), (d, p) => { d[p.Name] = Plain(p.Value); return d; }),
        JsonValueKind.Array => e.EnumerateArray().Select(Plain).ToArray(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out long l) ? l : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    public static LabDocument FromTree(IDictionary tree, KeyCatalog catalog, string defaultUri)
    {
        var top = Entries(tree, "the configuration");
        foreach (string key in top.Keys)
        {
            if (!string.Equals(key, "Uri", StringComparison.OrdinalIgnoreCase) && !Sections.Any(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase)))
            {
                throw new ConfigurationException("ConfigurationKeyUnknown",
                    $"The configuration has an unknown top-level key '{key}'. Allowed: Uri, Networks, StoragePools, Volumes, VMs.", key);
            }
        }
        string uri = Get(top, "Uri") is { } u ? Convert.ToString(u, CultureInfo.InvariantCulture) ?? "" : defaultUri;
        var resources = new List<DesiredResource>();
        foreach (var (section, kind) in Sections)
        {
            object? list = Get(top, section);
            if (list is null)
            {
                continue;
            }
            IEnumerable items = list is IDictionary single ? new object[] { single } :
                list is IEnumerable e and not string ? e :
                throw new ConfigurationException("ConfigurationValueInvalid", $"{section} must be a list of tables (@( @{{ Name = ... }} )).", section);
            int index = 0;
            foreach (object? item in items)
            {
                resources.Add(ReadResource(item, kind, section, index++, catalog, uri));
            }
        }
        CheckDuplicates(resources);
        return new LabDocument { Uri = uri, Resources = resources };
    }

    private static DesiredResource ReadResource(object? item, KvmResourceKind kind, string section, int index, KeyCatalog catalog, string uri)
    {
        string where = $"{section}[{index}]";
        if (item is not IDictionary table)
        {
            throw new ConfigurationException("ConfigurationValueInvalid", $"{where} must be a table of settings (@{{ Name = ... }}).", where);
        }
        var entries = Entries(table, where);
        string name = Get(entries, "Name") is { } n ? Convert.ToString(n, CultureInfo.InvariantCulture) ?? "" : "";
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ConfigurationException("ConfigurationNameMissing", $"{where} has no Name.", where);
        }
        where = $"{section}['{name}']";
        var settings = new List<KeyValuePair<string, object?>>();
        bool present = true;
        string resourceUri = uri;
        foreach (var (key, value) in entries)
        {
            if (Common.FirstOrDefault(c => string.Equals(c, key, StringComparison.OrdinalIgnoreCase)) is string common)
            {
                if (common == "Uri")
                {
                    resourceUri = Convert.ToString(value, CultureInfo.InvariantCulture) ?? uri;
                }
                else if (common == "Ensure")
                {
                    present = Convert.ToString(value, CultureInfo.InvariantCulture)?.ToLowerInvariant() switch
                    {
                        "present" => true,
                        "absent" => false,
                        _ => throw new ConfigurationException("ConfigurationValueInvalid", $"{where}.Ensure must be Present or Absent, not '{value}'.", where),
                    };
                }
                continue;
            }
            string canonical = catalog.Resolve(kind, key) ?? throw Unknown(where, key, catalog.Names(kind).Concat(kind == KvmResourceKind.VM ? KeyCatalog.TuningKeys : Array.Empty<string>()));
            object? v = value;
            if (KeyCatalog.TuningKeys.Contains(canonical) && value is IDictionary nested)
            {
                v = CheckTuning(nested, canonical, where, catalog);
            }
            settings.Add(new(canonical, v));
        }
        if (kind == KvmResourceKind.Volume && !settings.Any(s => s.Key == "Pool"))
        {
            throw new ConfigurationException("ConfigurationPoolMissing", $"{where} has no Pool: a volume is made in a pool.", where);
        }
        return new DesiredResource
        {
            Kind = kind,
            Name = name,
            Uri = resourceUri,
            Present = present,
            Settings = new DesiredSettings(settings) { Where = where },
        };
    }

    private static Dictionary<string, object?> CheckTuning(IDictionary nested, string table, string where, KeyCatalog catalog)
    {
        var checkedTable = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in Entries(nested, $"{where}.{table}"))
        {
            string canonical = catalog.ResolveTuning(table, key) ?? throw Unknown($"{where}.{table}", key, catalog.TuningNames(table));
            checkedTable[canonical] = value;
        }
        return checkedTable;
    }

    private static ConfigurationException Unknown(string where, string key, IEnumerable<string> allowed)
    {
        string[] names = allowed.ToArray();
        string? near = names.OrderBy(n => Distance(n.ToLowerInvariant(), key.ToLowerInvariant())).FirstOrDefault();
        string hint = near is not null && Distance(near.ToLowerInvariant(), key.ToLowerInvariant()) <= 3 ? $" Did you mean '{near}'?" : "";
        return new ConfigurationException("ConfigurationKeyUnknown",
            $"{where} has an unknown key '{key}'.{hint} Keys are the parameter names of the matching cmdlet: {string.Join(", ", names)}.", $"{where}.{key}");
    }

    private static void CheckDuplicates(List<DesiredResource> resources)
    {
        foreach (var g in resources.GroupBy(r => (r.Kind, r.Uri, r.Pool, r.Name)))
        {
            if (g.Count() > 1)
            {
                throw new ConfigurationException("ConfigurationNameDuplicate",
                    $"The configuration names the {g.Key.Kind} '{g.First().DisplayName}' on {g.Key.Uri} {g.Count()} times.", g.First().DisplayName);
            }
        }
    }

    private static List<(string Key, object? Value)> EntriesList(IDictionary d) =>
        d.Keys.Cast<object>().Select(k => (Convert.ToString(k, CultureInfo.InvariantCulture) ?? "", d[k])).ToList();

    private static Dictionary<string, object?> Entries(IDictionary d, string where)
    {
        var map = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in EntriesList(d))
        {
            if (!map.TryAdd(k, v))
            {
                throw new ConfigurationException("ConfigurationKeyDuplicate", $"{where} has the key '{k}' twice.", where);
            }
        }
        return map;
    }

    private static object? Get(Dictionary<string, object?> d, string key) => d.TryGetValue(key, out object? v) ? v : null;

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int prev = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int next = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), prev + (a[i - 1] == b[j - 1] ? 0 : 1));
                prev = next;
            }
        }
        return row[b.Length];
    }
}

using System.Collections;

namespace KvmPS.Commands;

/// <summary>Which items of a run cannot go ahead because a resource they use failed earlier in it.</summary>
internal static class ConfigurationDependencies
{
    /// <summary>Why an item cannot run because something it depends on failed in this run, or null.</summary>
    public static string? Blocker(KvmConfigurationPlanItem item, IReadOnlySet<string> failed)
    {
        if (item.Kind == KvmResourceKind.Volume && item.Name.Split('/')[0] is string pool && failed.Contains(Key(KvmResourceKind.StoragePool, item.Uri, pool)))
        {
            return $"Its pool '{pool}' failed in this run.";
        }
        if (item.Kind != KvmResourceKind.VM)
        {
            return null;
        }
        foreach (string net in Names(item.Settings, "Network"))
        {
            if (failed.Contains(Key(KvmResourceKind.Network, item.Uri, net)))
            {
                return $"Its network '{net}' failed in this run.";
            }
        }
        foreach (string pool2 in Names(item.Settings, "Pool"))
        {
            if (failed.Contains(Key(KvmResourceKind.StoragePool, item.Uri, pool2)))
            {
                return $"Its pool '{pool2}' failed in this run.";
            }
        }
        return null;
    }

    private static IEnumerable<string> Names(IReadOnlyDictionary<string, object?> settings, string key) =>
        settings.TryGetValue(key, out object? v) ? v switch
        {
            null => Array.Empty<string>(),
            string s => new[] { s },
            IEnumerable e => e.Cast<object?>().Select(o => o?.ToString() ?? ""),
            object o => new[] { o.ToString() ?? "" },
        } : Array.Empty<string>();

    public static string Key(KvmResourceKind kind, string uri, string name) => $"{kind}|{uri}|{name}";
}

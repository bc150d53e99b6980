namespace KvmPS.Engine.Tests.Conversion;

/// <summary>Field-by-field comparison of two <see cref="YamlTree"/> values, naming each path that differs.</summary>
internal static class TreeDiff
{
    public static void Compare(object? expected, object? actual, string path, List<string> diffs)
    {
        switch (expected)
        {
            case Dictionary<string, object?> e when actual is Dictionary<string, object?> a:
                foreach (string k in e.Keys.Union(a.Keys))
                {
                    if (!a.ContainsKey(k))
                    {
                        diffs.Add($"{path}.{k}: missing (expected {Show(e[k])})");
                    }
                    else if (!e.ContainsKey(k))
                    {
                        diffs.Add($"{path}.{k}: not expected (got {Show(a[k])})");
                    }
                    else
                    {
                        Compare(e[k], a[k], $"{path}.{k}", diffs);
                    }
                }
                break;
            case List<object?> e when actual is List<object?> a:
                if (e.Count != a.Count)
                {
                    diffs.Add($"{path}: {a.Count} items, expected {e.Count}");
                }
                for (int i = 0; i < Math.Min(e.Count, a.Count); i++)
                {
                    Compare(e[i], a[i], $"{path}[{i}]", diffs);
                }
                break;
            default:
                if (!Equals(expected, actual))
                {
                    diffs.Add($"{path}: {Show(actual)}, expected {Show(expected)}");
                }
                break;
        }
    }

    public static object? At(object? tree, string dotted)
    {
        foreach (string k in dotted.Split('.'))
        {
            tree = tree is Dictionary<string, object?> d && d.TryGetValue(k, out object? v) ? v : null;
        }
        return tree;
    }

    private static string Show(object? v) => v switch
    {
        null => "null",
        string s => $"'{s}'",
        Dictionary<string, object?> => "{...}",
        List<object?> l => $"[{l.Count} items]",
        _ => v.ToString() ?? "",
    };
}

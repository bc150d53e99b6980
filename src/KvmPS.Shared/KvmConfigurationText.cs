using System.Collections;
using System.Globalization;

namespace KvmPS;

/// <summary>Text forms of configuration values: command lines and settings as PowerShell would write them.</summary>
public static class KvmConfigurationText
{
    /// <summary>Parameter names whose values are never shown.</summary>
    private static readonly string[] Secret = { "Password", "GraphicsPassword", "RootPassword", "Credential", "CloudInit", "CloudInitMetaData" };

    public static string CommandLine(string command, System.Collections.Generic.IReadOnlyDictionary<string, object?> parameters)
    {
        var parts = new System.Collections.Generic.List<string> { command };
        foreach (var (key, value) in parameters)
        {
            if (value is bool b)
            {
                parts.Add(b ? $"-{key}" : $"-{key}:$false");
                continue;
            }
            parts.Add($"-{key} {(Secret.Any(s => string.Equals(s, key, StringComparison.OrdinalIgnoreCase)) ? "<hidden>" : Value(value))}");
        }
        return string.Join(" ", parts);
    }

    /// <summary>A value as PowerShell text: strings quoted, lists comma-separated, tables as @{...}.</summary>
    public static string Value(object? value) => value switch
    {
        null => "$null",
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        bool b => b ? "$true" : "$false",
        IDictionary d => "@{ " + string.Join("; ", d.Keys.Cast<object>().Select(k => $"{k} = {Value(d[k])}")) + " }",
        IEnumerable e => string.Join(",", e.Cast<object?>().Select(Value)),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        object o => o.ToString() ?? "",
    };
}

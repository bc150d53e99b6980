using System.Collections;
using System.Globalization;

namespace KvmPS.Engine.Configuration;

/// <summary>
/// The settings of one resource in a configuration: parameter names (canonical spelling, matched
/// without regard to case) to plain values (string, number, bool, arrays, nested dictionaries).
/// </summary>
public sealed class DesiredSettings
{
    private readonly Dictionary<string, object?> values;

    public DesiredSettings(IEnumerable<KeyValuePair<string, object?>> values)
    {
        this.values = new Dictionary<string, object?>(values, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyDictionary<string, object?> Values => values;

    public bool Has(string key) => values.ContainsKey(key);

    public object? Raw(string key) => values.TryGetValue(key, out object? v) ? v : null;

    public string Where { get; init; } = "";

    public string? Text(string key) => Raw(key) switch
    {
        null => null,
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        object o => o.ToString(),
    };

    public ulong? Size(string key) => Raw(key) is { } v ? SizeValue.Parse(v, $"{Where}.{key}") : null;

    public int? Int(string key)
    {
        object? v = Raw(key);
        if (v is null)
        {
            return null;
        }
        try
        {
            return v is string s ? int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture) : Convert.ToInt32(v, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or OverflowException or InvalidCastException)
        {
            throw new ConfigurationException("ConfigurationValueInvalid", $"{Where}.{key} must be a whole number, not '{v}'.", Where);
        }
    }

    public bool? Bool(string key) => Raw(key) switch
    {
        null => null,
        bool b => b,
        string s when bool.TryParse(s, out bool b) => b,
        object v => throw new ConfigurationException("ConfigurationValueInvalid", $"{Where}.{key} must be $true or $false, not '{v}'.", Where),
    };

    /// <summary>A switch parameter: present and true.</summary>
    public bool Switch(string key) => Bool(key) == true;

    /// <summary>A string or a list of strings, as an array (null when the key is absent).</summary>
    public string[]? List(string key) => Raw(key) switch
    {
        null => null,
        string s => new[] { s },
        IDictionary => throw new ConfigurationException("ConfigurationValueInvalid", $"{Where}.{key} must be a name or a list of names.", Where),
        IEnumerable e => e.Cast<object?>().Select(o => Convert.ToString(o, CultureInfo.InvariantCulture) ?? "").ToArray(),
        object o => new[] { Convert.ToString(o, CultureInfo.InvariantCulture) ?? "" },
    };

    /// <summary>A nested table (a tuning block) as settings of its own.</summary>
    public DesiredSettings? Table(string key) => Raw(key) switch
    {
        null => null,
        IDictionary d => new DesiredSettings(d.Keys.Cast<object>().Select(k => new KeyValuePair<string, object?>(k.ToString() ?? "", d[k]))) { Where = $"{Where}.{key}" },
        object v => throw new ConfigurationException("ConfigurationValueInvalid", $"{Where}.{key} must be a table of settings, not '{v}'.", Where),
    };
}

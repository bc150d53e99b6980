using System.Text;
using System.Text.Json;

namespace KvmPS.Engine.Conversion;

/// <summary>
/// The value of a QEMU option: "first,key=value,key2=value2" (",," is a literal comma) or, as
/// libvirt writes -device, -blockdev, -netdev and -object, a JSON object. <see cref="Implied"/> is
/// the leading part without a key (the driver of -device, the size of -m, the type of -netdev).
/// </summary>
public sealed class QemuOptionValue
{
    private readonly List<KeyValuePair<string, string>> _pairs = new();

    public string? Implied { get; private set; }

    public IReadOnlyList<KeyValuePair<string, string>> Pairs => _pairs;

    public string? this[string key] => _pairs.LastOrDefault(p => p.Key == key).Value;

    public bool Has(string key) => _pairs.Any(p => p.Key == key);

    /// <summary>Parses a value; <paramref name="impliedKey"/> is the key a leading bare word stands for (driver, type, size...).</summary>
    public static QemuOptionValue Parse(string option, string text, string? impliedKey = null)
    {
        var v = new QemuOptionValue();
        if (text.TrimStart().StartsWith('{'))
        {
            try
            {
                using JsonDocument doc = JsonDocument.Parse(text);
                foreach (JsonProperty p in doc.RootElement.EnumerateObject())
                {
                    v._pairs.Add(new(p.Name, p.Value.ValueKind switch
                    {
                        JsonValueKind.String => p.Value.GetString() ?? "",
                        JsonValueKind.True => "on",
                        JsonValueKind.False => "off",
                        _ => p.Value.GetRawText(),
                    }));
                }
            }
            catch (JsonException e)
            {
                throw new QemuCommandLineException("QemuBadJson", $"{option}: the JSON value is malformed: {e.Message}");
            }
            if (impliedKey is not null)
            {
                v.Implied = v[impliedKey];
            }
            return v;
        }
        var parts = SplitCommas(text);
        for (int i = 0; i < parts.Count; i++)
        {
            string part = parts[i];
            int eq = part.IndexOf('=');
            if (eq < 0)
            {
                if (i == 0)
                {
                    v.Implied = part;
                    if (impliedKey is not null)
                    {
                        v._pairs.Add(new(impliedKey, part));
                    }
                }
                else
                {
                    // A bare flag such as "server" stands for server=on.
                    v._pairs.Add(new(part, "on"));
                }
                continue;
            }
            v._pairs.Add(new(part[..eq], part[(eq + 1)..]));
        }
        if (v.Implied is null && impliedKey is not null)
        {
            v.Implied = v[impliedKey];
        }
        return v;
    }

    private static List<string> SplitCommas(string text)
    {
        var parts = new List<string>();
        var cur = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == ',')
            {
                if (i + 1 < text.Length && text[i + 1] == ',')
                {
                    cur.Append(',');
                    i++;
                    continue;
                }
                parts.Add(cur.ToString());
                cur.Clear();
                continue;
            }
            cur.Append(text[i]);
        }
        parts.Add(cur.ToString());
        return parts;
    }
}

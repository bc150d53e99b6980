using System.Globalization;
using System.Text.RegularExpressions;

namespace KvmPS.Engine.Configuration;

/// <summary>Sizes in a configuration: bytes as a number, or text with PowerShell's binary units (2GB, 512MB, 1TB, also KiB/MiB/GiB/TiB).</summary>
public static partial class SizeValue
{
    public static ulong Parse(object value, string where)
    {
        switch (value)
        {
            case ulong u:
                return u;
            case long or int or short or byte or uint or ushort:
                long l = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                if (l < 0)
                {
                    break;
                }
                return (ulong)l;
            case double or float or decimal:
                decimal d = Convert.ToDecimal(value, CultureInfo.InvariantCulture);
                if (d < 0 || d != Math.Floor(d))
                {
                    break;
                }
                return (ulong)d;
            case string s:
                Match m = Unit().Match(s.Trim());
                if (m.Success && decimal.TryParse(m.Groups[1].Value, NumberStyles.Number, CultureInfo.InvariantCulture, out decimal n))
                {
                    int shift = char.ToUpperInvariant(m.Groups[2].Value.FirstOrDefault()) switch
                    {
                        'K' => 10,
                        'M' => 20,
                        'G' => 30,
                        'T' => 40,
                        'P' => 50,
                        _ => 0,
                    };
                    decimal bytes = n * (decimal)Math.Pow(2, shift);
                    if (bytes == Math.Floor(bytes) && bytes <= ulong.MaxValue)
                    {
                        return (ulong)bytes;
                    }
                }
                break;
        }
        throw new ConfigurationException("ConfigurationValueInvalid",
            $"{where} must be a size in bytes or with a unit such as 2GB or 512MB, not '{value}'.", where);
    }

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)\s*((?:[KMGTP](?:i?B)?)|B)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Unit();
}

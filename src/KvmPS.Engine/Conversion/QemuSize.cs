using System.Globalization;
using System.Text.RegularExpressions;

namespace KvmPS.Engine.Conversion;

/// <summary>QEMU's sizes: a number with an optional binary suffix (K, M, G, T, with or without iB/B); a bare number is MiB for -m and bytes elsewhere.</summary>
public static class QemuSize
{
    private static readonly Regex s_size = new(@"^\s*(\d+(?:\.\d+)?)\s*([kKmMgGtTpPeE]?)(?:i?[bB])?\s*$", RegexOptions.CultureInvariant);

    /// <summary>The size in bytes, or null when the text is not a size.</summary>
    public static ulong? Parse(string text, ulong bareUnit)
    {
        Match m = s_size.Match(text);
        if (!m.Success)
        {
            return null;
        }
        decimal n = decimal.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        ulong factor = m.Groups[2].Value.ToUpperInvariant() switch
        {
            "" => bareUnit,
            "K" => 1UL << 10,
            "M" => 1UL << 20,
            "G" => 1UL << 30,
            "T" => 1UL << 40,
            "P" => 1UL << 50,
            _ => 1UL << 60,
        };
        try
        {
            return (ulong)decimal.Round(n * factor);
        }
        catch (OverflowException)
        {
            return null;
        }
    }
}

using System.Globalization;

namespace KvmPS.Engine;

/// <summary>
/// The one reading of a MAC address the user typed: six octets written with colons
/// (<c>52:54:00:AA:BB:CC</c>), with hyphens (<c>52-54-00-aa-bb-cc</c>, as Windows and Hyper-V write
/// them) or bare (<c>525400aabbcc</c>), in any case. libvirt and this module write the lower-case
/// colon form, so a normalised address compares equal to the one in a definition.
/// </summary>
public static class MacAddressText
{
    /// <summary>The address in lower-case colon form, or null when the text is not a MAC address in one of the accepted forms.</summary>
    public static string? Normalize(string? text)
    {
        string s = (text ?? "").Trim();
        string hex;
        if (s.Length == 12)
        {
            hex = s;
        }
        else if (s.Length == 17 && (AllSeparators(s, ':') || AllSeparators(s, '-')))
        {
            hex = string.Concat(Enumerable.Range(0, 6).Select(i => s.Substring(i * 3, 2)));
        }
        else
        {
            return null;
        }
        if (!hex.All(char.IsAsciiHexDigit))
        {
            return null;
        }
        hex = hex.ToLowerInvariant();
        return string.Join(":", Enumerable.Range(0, 6).Select(i => hex.Substring(i * 2, 2)));
    }

    /// <summary>Whether the text is a MAC address in one of the accepted forms.</summary>
    public static bool IsValid(string? text) => Normalize(text) is not null;

    /// <summary>Whether the text is a unicast MAC address (the group bit of the first octet clear), in any accepted form.</summary>
    public static bool IsUnicast(string? text) =>
        Normalize(text) is string mac && (byte.Parse(mac.AsSpan(0, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) & 1) == 0;

    /// <summary>The forms accepted, for messages.</summary>
    public const string Forms = "52:54:00:aa:bb:cc, 52-54-00-aa-bb-cc or 525400aabbcc";

    private static bool AllSeparators(string s, char sep)
    {
        for (int i = 2; i < s.Length; i += 3)
        {
            if (s[i] != sep)
            {
                return false;
            }
        }
        return true;
    }
}

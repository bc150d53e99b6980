using System.Text;
using System.Text.RegularExpressions;

namespace KvmPS.Engine.Conversion;

/// <summary>Kubernetes quantities and names as KubeVirt manifests need them.</summary>
public static class KubeVirtQuantity
{
    /// <summary>Bytes as a binary quantity in the largest unit that divides them (8Gi, 1536Mi, 4Ki); bytes that no unit divides are given as they are.</summary>
    public static string FromBytes(ulong bytes)
    {
        (ulong Factor, string Suffix)[] units = { (1UL << 40, "Ti"), (1UL << 30, "Gi"), (1UL << 20, "Mi"), (1UL << 10, "Ki") };
        foreach (var (factor, suffix) in units)
        {
            if (bytes >= factor && bytes % factor == 0)
            {
                return $"{bytes / factor}{suffix}";
            }
        }
        return bytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Bytes rounded up to whole MiB (what a PVC request should cover), as a quantity.</summary>
    public static string RoundUpMi(ulong bytes) => FromBytes((bytes + (1UL << 20) - 1) / (1UL << 20) * (1UL << 20));

    private static readonly Regex s_label = new("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant);

    /// <summary>Whether a name is a DNS-1123 label (what metadata.name, disk and network names must be).</summary>
    public static bool IsDnsLabel(string name) => s_label.IsMatch(name);

    /// <summary>A DNS-1123 label made from any name: lower case, other characters as '-', at most 63 characters.</summary>
    public static string DnsLabel(string name)
    {
        var sb = new StringBuilder();
        foreach (char c in name.ToLowerInvariant())
        {
            sb.Append(c is >= 'a' and <= 'z' or >= '0' and <= '9' ? c : '-');
        }
        string s = Regex.Replace(sb.ToString(), "-{2,}", "-").Trim('-');
        if (s.Length > 63)
        {
            s = s[..63].TrimEnd('-');
        }
        return s.Length == 0 ? "vm" : s;
    }
}

using System.Globalization;

namespace KvmPS.Engine.Host;

/// <summary>
/// The one rule for huge page sizes, in KiB as the kernel and libvirt count them: parsing the
/// spellings the host uses ("2048 kB" in /proc/meminfo, "hugepages-2048kB" in sysfs, "2M" in a
/// hugetlbfs mount), bytes to KiB, which of a host's page sizes are huge, and the default size.
/// </summary>
public static class HugePageSize
{
    /// <summary>The size assumed when nothing on the host names one: x86's 2 MiB, also libvirt's default for &lt;hugepages/&gt;.</summary>
    public const ulong AssumedDefaultKiB = 2048;

    /// <summary>Where the kernel lists its huge page pools, one directory per size.</summary>
    public const string SysfsRoot = "/sys/kernel/mm/hugepages";

    private const string SysfsPrefix = "hugepages-";

    /// <summary>The pool directory's name for a size: hugepages-2048kB.</summary>
    public static string SysfsName(ulong kib) => SysfsPrefix + kib.ToString(CultureInfo.InvariantCulture) + "kB";

    /// <summary>
    /// A size with its unit: "2048kB", "2048 kB", "hugepages-2048kB", "2M", "1G", "1GiB". A number
    /// without a unit is refused (a hugetlbfs mount would mean bytes, /proc/meminfo KiB), and so is 0.
    /// </summary>
    public static bool TryParseKiB(string? text, out ulong kib)
    {
        kib = 0;
        string s = (text ?? "").Trim();
        if (s.StartsWith(SysfsPrefix, StringComparison.Ordinal))
        {
            s = s[SysfsPrefix.Length..];
        }
        int digits = 0;
        while (digits < s.Length && char.IsAsciiDigit(s[digits]))
        {
            digits++;
        }
        if (digits == 0 || !ulong.TryParse(s.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out ulong n) || n == 0)
        {
            return false;
        }
        ulong factor = s[digits..].TrimStart().ToUpperInvariant() switch
        {
            "K" or "KB" or "KIB" => 1,
            "M" or "MB" or "MIB" => 1024,
            "G" or "GB" or "GIB" => 1024 * 1024,
            _ => 0,
        };
        if (factor == 0 || n > ulong.MaxValue / factor)
        {
            return false;
        }
        kib = n * factor;
        return true;
    }

    /// <summary>Like <see cref="TryParseKiB"/>, throwing a FormatException for what it refuses.</summary>
    public static ulong ParseKiB(string text) => TryParseKiB(text, out ulong kib) ? kib
        : throw new FormatException($"'{text}' is not a huge page size (a number with kB, M or G).");

    /// <summary>A size in bytes as KiB; false when it is not a whole number of KiB (no page size is).</summary>
    public static bool TryBytesToKiB(ulong bytes, out ulong kib)
    {
        kib = bytes / 1024;
        return bytes % 1024 == 0 && kib > 0;
    }

    /// <summary>
    /// The huge sizes among a host's page sizes (KiB), smallest first: every size above the base
    /// page, which is the smallest listed (4 KiB when none is). A 64 KiB base page (ppc64,
    /// some aarch64 kernels) is thus not huge, while aarch64's 64 KiB huge pages over 4 KiB are.
    /// </summary>
    public static IReadOnlyList<ulong> HugeSizesKiB(IEnumerable<ulong> pageSizesKiB)
    {
        var sizes = pageSizesKiB.Distinct().ToList();
        ulong basePage = sizes.Count == 0 ? 4 : sizes.Min();
        return sizes.Where(s => s > basePage).OrderBy(s => s).ToList();
    }

    /// <summary>Hugepagesize from the text of /proc/meminfo, or null when it has none.</summary>
    public static ulong? ReadDefaultKiB(string? procMeminfo)
    {
        foreach (string line in (procMeminfo ?? "").Split('\n'))
        {
            if (line.StartsWith("Hugepagesize:", StringComparison.Ordinal))
            {
                return TryParseKiB(line["Hugepagesize:".Length..], out ulong kib) ? kib : null;
            }
        }
        return null;
    }

    /// <summary>
    /// The kernel's default huge page size: the one /proc/meminfo reports (see
    /// <see cref="ReadDefaultKiB"/>), else the smallest of the offered huge sizes, else
    /// <see cref="AssumedDefaultKiB"/>.
    /// </summary>
    public static ulong DefaultKiB(ulong? meminfoKiB, IEnumerable<ulong> offeredHugeKiB) =>
        meminfoKiB ?? (offeredHugeKiB.Any() ? offeredHugeKiB.Min() : AssumedDefaultKiB);

    /// <summary>A size for people: 2 MiB, 1 GiB, 64 KiB (the largest unit that divides it).</summary>
    public static string Text(ulong kib) =>
        kib >= 1024 * 1024 && kib % (1024 * 1024) == 0 ? $"{kib / (1024 * 1024)} GiB"
        : kib >= 1024 && kib % 1024 == 0 ? $"{kib / 1024} MiB"
        : $"{kib} KiB";
}

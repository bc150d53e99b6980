using System.Globalization;

namespace KvmPS.Engine;

/// <summary>
/// Sizes in messages: bytes written with the largest binary unit that keeps the number at least 1
/// ("2 GiB", "512 MiB", "1.5 KiB", "100 bytes"), and the rule that catches a size given as a bare
/// number of bytes where the user meant MiB or GiB (<c>-Memory 2048</c> is 2 KiB, never intended).
/// </summary>
public static class SizeText
{
    private const ulong KiB = 1UL << 10, MiB = 1UL << 20, GiB = 1UL << 30, TiB = 1UL << 40, PiB = 1UL << 50;

    /// <summary>The smallest memory a VM is given (what QEMU can boot a firmware in).</summary>
    public const ulong MinMemoryBytes = 16 * MiB;

    /// <summary>The smallest disk or volume size accepted.</summary>
    public const ulong MinDiskBytes = MiB;

    /// <summary>The size with a binary unit, at most one decimal, invariant culture (messages and logs read the same everywhere).</summary>
    public static string Format(ulong bytes)
    {
        var (unit, name) = bytes switch
        {
            >= PiB => (PiB, "PiB"),
            >= TiB => (TiB, "TiB"),
            >= GiB => (GiB, "GiB"),
            >= MiB => (MiB, "MiB"),
            >= KiB => (KiB, "KiB"),
            _ => (1UL, bytes == 1 ? "byte" : "bytes"),
        };
        return unit == 1
            ? $"{bytes} {name}"
            : (Math.Floor(bytes * 10.0 / unit) / 10).ToString("0.#", CultureInfo.InvariantCulture) + " " + name;
    }

    /// <summary>
    /// Null when <paramref name="bytes"/> is a plausible memory size, else why not, with the size the
    /// user probably meant: a bare number from 16 up is taken as MiB (2048 → 2048MB), a smaller one as GiB (4 → 4GB).
    /// </summary>
    public static string? CheckMemory(ulong bytes, string what = "memory")
    {
        if (bytes >= MinMemoryBytes)
        {
            return null;
        }
        string meant = bytes == 0 ? "" : bytes >= 16 ? $" Did you mean {bytes}MB?" : $" Did you mean {bytes}GB?";
        return $"{Format(bytes)} is too little {what} for a VM (at least {Format(MinMemoryBytes)}); sizes are in bytes, so give a unit such as 2GB or 512MB.{meant}";
    }

    /// <summary>
    /// Null when <paramref name="bytes"/> is a plausible disk or volume size, else why not, with the
    /// size the user probably meant: a bare number up to 64Ki is taken as GiB (20 → 20GB), a larger one as MiB.
    /// </summary>
    public static string? CheckDisk(ulong bytes, string what = "disk")
    {
        if (bytes >= MinDiskBytes)
        {
            return null;
        }
        string meant = bytes == 0 ? "" : bytes <= 65536 ? $" Did you mean {bytes}GB?" : $" Did you mean {bytes}MB?";
        return $"{Format(bytes)} is too small for a {what} (at least {Format(MinDiskBytes)}); sizes are in bytes, so give a unit such as 20GB or 512MB.{meant}";
    }
}

using System.Globalization;

namespace KvmPS;

/// <summary>
/// A size in bytes that prints with a binary unit (e.g. "1.5 GiB") and sorts and compares by the
/// byte count, so a table column of sizes reads at a glance and Sort-Object orders it numerically.
/// </summary>
public readonly struct KvmSize : IComparable, IComparable<KvmSize>, IEquatable<KvmSize>
{
    /// <summary>Creates a size of <paramref name="bytes"/> bytes.</summary>
    public KvmSize(ulong bytes) => Bytes = bytes;

    /// <summary>The size in bytes.</summary>
    public ulong Bytes { get; }

    /// <summary>The size as bytes, for arithmetic and for comparing with numbers such as 1GB.</summary>
    public static implicit operator ulong(KvmSize size) => size.Bytes;

    /// <summary>A size of the given byte count.</summary>
    public static implicit operator KvmSize(ulong bytes) => new(bytes);

    /// <summary>A size of the given byte count, so that PowerShell can compare a size with 1GB.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is negative.</exception>
    public static implicit operator KvmSize(long bytes) =>
        bytes >= 0 ? new((ulong)bytes) : throw new ArgumentOutOfRangeException(nameof(bytes), "A size cannot be negative.");

    /// <summary>A size of the given byte count, so that PowerShell can compare a size with 1MB.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is negative.</exception>
    public static implicit operator KvmSize(int bytes) => (long)bytes;

    /// <summary>A size of the given byte count rounded to a whole byte, so that PowerShell can compare a size with 1.5GB.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is negative or not a number.</exception>
    public static implicit operator KvmSize(double bytes) =>
        bytes >= 0 ? new((ulong)Math.Round(bytes)) : throw new ArgumentOutOfRangeException(nameof(bytes), "A size cannot be negative.");

    /// <inheritdoc />
    public int CompareTo(KvmSize other) => Bytes.CompareTo(other.Bytes);

    /// <summary>Compares with another size or with a number of bytes; null sorts first.</summary>
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        KvmSize s => CompareTo(s),
        IConvertible c => ((double)Bytes).CompareTo(c.ToDouble(CultureInfo.InvariantCulture)),
        _ => throw new ArgumentException("A KvmSize compares only with a size or a number.", nameof(obj)),
    };

    /// <inheritdoc />
    public bool Equals(KvmSize other) => Bytes == other.Bytes;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is KvmSize s && Equals(s);

    /// <inheritdoc />
    public override int GetHashCode() => Bytes.GetHashCode();

    /// <summary>The size with the largest binary unit from KiB to TiB that keeps it at least 1, one decimal.</summary>
    public override string ToString()
    {
        double b = Bytes;
        const double KiB = 1024, MiB = KiB * 1024, GiB = MiB * 1024, TiB = GiB * 1024;
        var (value, unit) = b >= TiB ? (b / TiB, "TiB") : b >= GiB ? (b / GiB, "GiB") : b >= MiB ? (b / MiB, "MiB") : (b / KiB, "KiB");
        return value.ToString("0.#", CultureInfo.CurrentCulture) + " " + unit;
    }
}

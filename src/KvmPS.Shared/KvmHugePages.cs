namespace KvmPS;

/// <summary>Pages of one size in a NUMA cell.</summary>
public sealed class KvmHugePages
{
    /// <summary>NUMA cell.</summary>
    public int CellId { get; internal init; }

    /// <summary>Page size in bytes (4096, 2097152, 1073741824, ...).</summary>
    public ulong PageSizeBytes { get; internal init; }

    /// <summary>Number of pages of this size in the cell (reserved, for huge pages).</summary>
    public ulong Total { get; internal init; }

    /// <summary>Number of free pages of this size, when the host reports it.</summary>
    public ulong? Free { get; internal init; }

    /// <summary>The page size with a binary unit, e.g. 2 MiB; sorts by bytes.</summary>
    public KvmSize PageSize => new(PageSizeBytes);
}

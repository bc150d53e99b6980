namespace KvmPS;

/// <summary>Free memory of one host NUMA cell.</summary>
public sealed class KvmHostCellStatistics
{
    /// <summary>NUMA cell number.</summary>
    public int Id { get; internal init; }

    /// <summary>Free memory of the cell, in bytes.</summary>
    public ulong FreeBytes { get; internal init; }
}

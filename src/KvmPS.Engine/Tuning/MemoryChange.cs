using System.Globalization;
using System.Xml.Linq;
using KvmPS.Engine.Host;

namespace KvmPS.Engine.Tuning;

/// <summary>A change to a VM's memory and its backing; null members stay as they are.</summary>
public sealed class MemoryChange
{
    public ulong? MemoryBytes { get; init; }
    public ulong? CurrentMemoryBytes { get; init; }
    /// <summary>Huge page size in bytes; 0 goes back to ordinary pages.</summary>
    public ulong? HugePageBytes { get; init; }
    public bool? Locked { get; init; }
    public bool? NoBalloon { get; init; }
    /// <summary>Backs the memory with memfd (no hugetlbfs mount needed); false removes the source.</summary>
    public bool? Memfd { get; init; }
}

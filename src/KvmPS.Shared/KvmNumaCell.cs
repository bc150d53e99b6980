namespace KvmPS;

/// <summary>One NUMA cell of a host.</summary>
public sealed class KvmNumaCell
{
    /// <summary>Cell (node) number.</summary>
    public int Id { get; internal init; }

    /// <summary>Memory of the cell in bytes.</summary>
    public ulong MemoryBytes { get; internal init; }

    /// <summary>Free memory of the cell in bytes, when the host reports it.</summary>
    public ulong? FreeMemoryBytes { get; internal init; }

    /// <summary>The cell's logical CPUs as a cpuset string (e.g. <c>0-7</c>).</summary>
    public string Cpus { get; internal init; } = "";

    /// <summary>The cell's logical CPUs with socket, core and SMT siblings.</summary>
    public KvmHostCpu[] CpuList { get; internal init; } = Array.Empty<KvmHostCpu>();

    /// <summary>Pages of each size in the cell: total and free.</summary>
    public KvmHugePages[] Pages { get; internal init; } = Array.Empty<KvmHugePages>();

    /// <summary>The connection URI this cell was read from.</summary>
    public string Uri { get; internal init; } = "";

    /// <summary>Memory of the cell in GiB, one decimal.</summary>
    public double MemoryGiB => Math.Round(MemoryBytes / (1024.0 * 1024 * 1024), 1);

    /// <summary>Free memory of the cell in GiB, one decimal; null when unknown.</summary>
    public double? FreeGiB => FreeMemoryBytes is { } free ? Math.Round(free / (1024.0 * 1024 * 1024), 1) : null;

    /// <summary>The huge page pools of the cell as size:free/total, e.g. "2M:0/512 1G:2/4"; pages of 8 KiB and less are left out.</summary>
    public string HugePages => string.Join(" ", Pages.Where(p => p.PageSizeBytes > 8 * 1024).Select(p =>
        (p.PageSizeBytes >= 1024UL * 1024 * 1024 ? $"{p.PageSizeBytes / (1024.0 * 1024 * 1024)}G" : $"{p.PageSizeBytes / (1024.0 * 1024)}M") + $":{p.Free}/{p.Total}"));
}

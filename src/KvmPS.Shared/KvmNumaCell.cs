namespace KvmPS;

/// <summary>One NUMA cell of a host.</summary>
public sealed class KvmNumaCell
{
    /// <summary>Cell (node) number.</summary>
    public int Id { get; init; }

    /// <summary>Memory of the cell in bytes.</summary>
    public ulong MemoryBytes { get; init; }

    /// <summary>Free memory of the cell in bytes, when the host reports it.</summary>
    public ulong? FreeMemoryBytes { get; init; }

    /// <summary>The cell's logical CPUs as a cpuset string (e.g. <c>0-7</c>).</summary>
    public string Cpus { get; init; } = "";

    /// <summary>The cell's logical CPUs with socket, core and SMT siblings.</summary>
    public KvmHostCpu[] CpuList { get; init; } = Array.Empty<KvmHostCpu>();

    /// <summary>Pages of each size in the cell: total and free.</summary>
    public KvmHugePages[] Pages { get; init; } = Array.Empty<KvmHugePages>();

    /// <summary>The connection URI this cell was read from.</summary>
    public string Uri { get; init; } = "";
}

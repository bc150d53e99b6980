namespace KvmPS.Engine.Conversion;

/// <summary>A guest NUMA node of -numa node: its id, vCPUs (a cpuset) and memory.</summary>
public sealed class QemuNumaCell
{
    public int Id { get; set; }
    public string Cpus { get; set; } = "";
    public ulong MemoryBytes { get; set; }
    /// <summary>The memory backend object named by memdev=, whose size is the cell's memory.</summary>
    public string? MemDev { get; set; }
}

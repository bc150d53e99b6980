using System.Globalization;
using System.Xml.Linq;
using KvmPS.Engine.Host;

namespace KvmPS.Engine.Tuning;

/// <summary>One guest NUMA cell asked for.</summary>
public sealed class NumaCellSpec
{
    /// <summary>vCPUs of the cell (cpuset string).</summary>
    public string Cpus { get; init; } = "";
    /// <summary>Memory in bytes; null to share the VM's memory evenly.</summary>
    public ulong? MemoryBytes { get; init; }
    /// <summary>Host nodes this cell's memory comes from (numatune memnode), if any.</summary>
    public string? HostNode { get; init; }
    public KvmNumaMemoryMode? MemoryMode { get; init; }
}

using System.Globalization;
using System.Xml.Linq;
using KvmPS.Engine.Host;

namespace KvmPS.Engine.Tuning;

/// <summary>A change to the guest NUMA layout and the host memory binding.</summary>
public sealed class NumaChange
{
    /// <summary>Removes the guest cells and the binding first.</summary>
    public bool Clear { get; init; }
    /// <summary>New guest cells (replacing the old ones), or null to keep them.</summary>
    public IReadOnlyList<NumaCellSpec>? Cells { get; init; }
    public KvmNumaMemoryMode? MemoryMode { get; init; }
    public string? HostNode { get; init; }
    /// <summary>Sets the VM's memory to the cells' sum instead of requiring them to match it.</summary>
    public bool SetMemory { get; init; }
}

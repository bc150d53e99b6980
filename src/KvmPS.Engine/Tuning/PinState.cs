using System.Globalization;
using System.Xml.Linq;

namespace KvmPS.Engine.Tuning;

/// <summary>The pins a domain XML holds (&lt;cputune&gt;), with the VM's vCPU and IOThread ids.</summary>
public sealed class PinState
{
    public int MaxVCpus { get; init; }
    /// <summary>vcpupin: vCPU → host CPUs.</summary>
    public SortedDictionary<int, int[]> VCpus { get; init; } = new();
    public int[]? Emulator { get; init; }
    /// <summary>iothreadpin: IOThread id → host CPUs.</summary>
    public SortedDictionary<int, int[]> IOThreads { get; init; } = new();
    /// <summary>The VM's IOThread ids (iothreadids, else 1..iothreads).</summary>
    public int[] IOThreadIds { get; init; } = Array.Empty<int>();
    /// <summary>The default affinity of every thread (&lt;vcpu cpuset&gt;), when set.</summary>
    public int[]? DefaultCpus { get; init; }
}

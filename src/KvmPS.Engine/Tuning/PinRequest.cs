namespace KvmPS.Engine.Tuning;

/// <summary>What the planner is asked to place.</summary>
public sealed class PinRequest
{
    /// <summary>Number of vCPUs (the maximum, so hot-plugged vCPUs have a place too).</summary>
    public int VCpuCount { get; init; }

    public KvmPinStrategy Strategy { get; init; } = KvmPinStrategy.Spread;

    /// <summary>Host CPUs never to use (kept for the host, say).</summary>
    public IReadOnlySet<int> Excluded { get; init; } = new HashSet<int>();

    /// <summary>Host CPUs other VMs' pins hold (vCPU, emulator, IOThread, cpuset); avoided unless AllowOverlap.</summary>
    public IReadOnlySet<int> Taken { get; init; } = new HashSet<int>();

    /// <summary>Which VM holds which taken CPU, to name them in a refusal; optional.</summary>
    public HostCpuClaims? Holders { get; init; }

    public bool AllowOverlap { get; init; }

    /// <summary>
    /// The guest's NUMA cells as lists of vCPUs, when it has them: each is placed inside one host
    /// cell, different cells where the host has room.
    /// </summary>
    public IReadOnlyList<int[]>? GuestCells { get; init; }
}

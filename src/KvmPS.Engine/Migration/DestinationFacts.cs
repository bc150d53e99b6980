namespace KvmPS.Engine.Migration;

/// <summary>What the refusal checks need to know of the destination host.</summary>
public sealed record DestinationFacts
{
    public IReadOnlySet<string> Networks { get; init; } = new HashSet<string>();
    public IReadOnlySet<string> Pools { get; init; } = new HashSet<string>();
    /// <summary>Target directories of the destination's directory-like pools (where a copied disk can be created).</summary>
    public IReadOnlySet<string> PoolDirectories { get; init; } = new HashSet<string>();
    /// <summary>Whether the destination has a volume at this path (the disk is shared, or already copied).</summary>
    public Func<string, bool> HasVolumeAt { get; init; } = _ => false;
    /// <summary>virConnectCompareHypervisorCPU's answer for the VM's CPU (0 incompatible, 1 identical, 2 superset), or null when not compared.</summary>
    public int? CpuComparison { get; init; }
    /// <summary>Whether a domain of this name or UUID exists on the destination already.</summary>
    public bool HasDomain { get; init; }
}

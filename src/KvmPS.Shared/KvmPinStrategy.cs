namespace KvmPS;

/// <summary>How Set-KvmCpuPin -Auto places vCPUs on host CPUs.</summary>
public enum KvmPinStrategy
{
    /// <summary>One vCPU per physical core: SMT siblings stay free while the cell has cores to spare.</summary>
    Spread,
    /// <summary>Fill every hardware thread of a core before the next core.</summary>
    Compact,
}

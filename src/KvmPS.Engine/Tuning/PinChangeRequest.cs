namespace KvmPS.Engine.Tuning;

/// <summary>
/// What Set-KvmCpuPin was asked for, as typed. Null (or false) means "not given": the parameter
/// combination rules depend on what was given, not only on its value.
/// </summary>
public sealed record PinChangeRequest
{
    /// <summary>The vCPU to pin (with HostCpu).</summary>
    public int? VCpu { get; init; }

    /// <summary>Host cpuset for VCpu.</summary>
    public string? HostCpu { get; init; }

    /// <summary>vCPU → host cpuset, keys and values as given (each checked here).</summary>
    public IReadOnlyList<KeyValuePair<string, string?>>? Map { get; init; }

    /// <summary>Plan the vCPU pins from the host topology.</summary>
    public bool Auto { get; init; }

    /// <summary>The -Auto strategy, when given.</summary>
    public KvmPinStrategy? Strategy { get; init; }

    /// <summary>Host cpuset -Auto must not use.</summary>
    public string? ExcludeHostCpu { get; init; }

    /// <summary>Whether -Auto may use other pinned VMs' CPUs, when given.</summary>
    public bool? AllowOverlap { get; init; }

    public string? EmulatorCpu { get; init; }

    public string? IOThreadCpu { get; init; }

    /// <summary>The IOThread IOThreadCpu applies to; null: all of them.</summary>
    public int? IOThread { get; init; }

    /// <summary>Remove every pin first.</summary>
    public bool Clear { get; init; }
}

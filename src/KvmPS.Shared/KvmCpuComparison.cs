namespace KvmPS;

/// <summary>Whether a host can run a CPU definition (Compare-KvmHostCpu).</summary>
public sealed class KvmCpuComparison
{
    /// <summary>The host compared.</summary>
    public string Uri { get; internal init; } = "";

    /// <summary>Identical, Superset (the host has more) or Incompatible.</summary>
    public string Result { get; internal init; } = "";

    /// <summary>Whether the host can run the CPU.</summary>
    public bool IsCompatible { get; internal init; }
}

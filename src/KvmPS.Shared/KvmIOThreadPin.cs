namespace KvmPS;

/// <summary>Where one IOThread of a VM may run.</summary>
public sealed class KvmIOThreadPin
{
    /// <summary>IOThread id.</summary>
    public int IOThread { get; internal init; }

    /// <summary>Host CPUs as a cpuset string.</summary>
    public string HostCpus { get; internal init; } = "";

    /// <summary>Whether the IOThread has its own pin (iothreadpin).</summary>
    public bool Pinned { get; internal init; }

    /// <inheritdoc />
    public override string ToString() => $"{IOThread}:{HostCpus}";
}

namespace KvmPS;

/// <summary>One guest NUMA cell.</summary>
public sealed class KvmGuestNumaCell
{
    /// <summary>Cell number inside the guest.</summary>
    public int Id { get; internal init; }

    /// <summary>vCPUs of the cell as a cpuset string.</summary>
    public string Cpus { get; internal init; } = "";

    /// <summary>Memory of the cell in bytes.</summary>
    public ulong MemoryBytes { get; internal init; }

    /// <summary>Host nodes this cell's memory is bound to (numatune memnode), when set.</summary>
    public string? HostNodes { get; internal init; }

    /// <summary>Binding mode of this cell's memory (numatune memnode), when set.</summary>
    public KvmNumaMemoryMode? MemoryMode { get; internal init; }

    /// <inheritdoc />
    public override string ToString() => $"{Id}:{Cpus}";
}

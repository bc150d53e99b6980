namespace KvmPS;

/// <summary>One setting of a resource whose current value differs from the wanted one.</summary>
public sealed class KvmPropertyChange
{
    /// <summary>The configuration key (a parameter name; tuning keys as Cpu.Sockets, MemoryBacking.HugePageSize).</summary>
    public string Property { get; internal init; } = "";

    /// <summary>The value now, as text (empty when unset).</summary>
    public string Current { get; internal init; } = "";

    /// <summary>The value the configuration asks for, as text.</summary>
    public string Desired { get; internal init; } = "";

    /// <summary>When a running VM sees the change.</summary>
    public KvmChangeTiming Timing { get; internal init; }

    /// <summary>The cmdlet that makes the change.</summary>
    public string Command { get; internal init; } = "";

    public override string ToString() => $"{Property}: {Current} -> {Desired}";
}

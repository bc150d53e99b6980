namespace KvmPS;

/// <summary>A VM's memory size and backing (Get-KvmMemory).</summary>
public sealed class KvmMemory
{
    /// <summary>Name of the VM.</summary>
    public string VMName { get; internal init; } = "";

    /// <summary>Maximum memory in bytes.</summary>
    public ulong MemoryBytes { get; internal init; }

    /// <summary>Current (balloon) memory in bytes.</summary>
    public ulong CurrentMemoryBytes { get; internal init; }

    /// <summary>Huge page size backing the memory in bytes (the first one when there are several, see <see cref="HugePageSizes"/>); null for ordinary pages.</summary>
    public ulong? HugePageSizeBytes { get; internal init; }

    /// <summary>Every huge page size backing the memory, with the guest NUMA nodes each backs; empty for ordinary pages.</summary>
    public KvmMemoryPages[] HugePageSizes { get; internal init; } = Array.Empty<KvmMemoryPages>();

    /// <summary>Whether the memory is locked in host RAM (never swapped).</summary>
    public bool Locked { get; internal init; }

    /// <summary>Memory source (memfd, file, anonymous), when set.</summary>
    public string? Source { get; internal init; }

    /// <summary>Balloon device model (virtio, none, ...); null when the VM has none.</summary>
    public string? BalloonModel { get; internal init; }

    /// <summary>Whether this was read from the persistent definition rather than the running VM.</summary>
    public bool FromConfig { get; internal init; }

    /// <summary>The connection URI this was read from.</summary>
    public string Uri { get; internal init; } = "";

    /// <inheritdoc />
    public override string ToString() => VMName;

    /// <summary>Maximum memory in MiB, rounded.</summary>
    public ulong MemoryMiB => (ulong)Math.Round(MemoryBytes / (1024.0 * 1024.0), MidpointRounding.ToEven);

    /// <summary>Current (balloon) memory in MiB, rounded.</summary>
    public ulong CurrentMiB => (ulong)Math.Round(CurrentMemoryBytes / (1024.0 * 1024.0), MidpointRounding.ToEven);

    /// <summary>Huge page size backing the memory with a binary unit; null when not backed by huge pages.</summary>
    public KvmSize? HugePages => HugePageSizeBytes is { } b && b != 0 ? new KvmSize(b) : null;
}

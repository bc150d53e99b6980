namespace KvmPS;

/// <summary>A snapshot of a VM (Checkpoint-KvmVM, Get-KvmSnapshot): its place in the VM's snapshot tree and what it holds.</summary>
public sealed class KvmSnapshot
{
    /// <summary>The VM the snapshot belongs to.</summary>
    public string VMName { get; internal init; } = "";

    /// <summary>UUID of that VM (a piped snapshot acts on this VM, never on a name look-alike).</summary>
    public Guid VMUuid { get; internal init; }

    /// <summary>The snapshot's name, unique within its VM.</summary>
    public string Name { get; internal init; } = "";

    /// <summary>Free text given with -Description.</summary>
    public string? Description { get; internal init; }

    /// <summary>The snapshot this one was taken on top of, or null for a root.</summary>
    public string? Parent { get; internal init; }

    /// <summary>The snapshots taken on top of this one.</summary>
    public string[] Children { get; internal init; } = Array.Empty<string>();

    /// <summary>Whether this is the VM's current snapshot (the one the VM's state descends from).</summary>
    public bool IsCurrent { get; internal init; }

    /// <summary>When the snapshot was taken (local time).</summary>
    public DateTime CreationTime { get; internal init; }

    /// <summary>The VM's state captured: Running, Paused, ShutOff, or DiskSnapshot (disks only, of a running VM).</summary>
    public string State { get; internal init; } = "";

    /// <summary>Internal or External (the disks' kind; a snapshot never mixes them).</summary>
    public KvmSnapshotKind Kind { get; internal init; }

    /// <summary>Whether the snapshot holds the guest's memory (a restore resumes the running guest).</summary>
    public bool IncludesMemory { get; internal init; }

    /// <summary>For an external snapshot with memory: the file holding it.</summary>
    public string? MemoryFile { get; internal init; }

    /// <summary>The disks and how each was captured.</summary>
    public KvmSnapshotDisk[] Disks { get; internal init; } = Array.Empty<KvmSnapshotDisk>();

    /// <summary>Why KvmPS chose this kind when it took the snapshot (null for snapshots made by other tools).</summary>
    public string? Reason { get; internal init; }

    /// <summary>The connection URI this snapshot was read from.</summary>
    public string Uri { get; internal init; } = "";

    /// <summary>The snapshot name.</summary>
    public override string ToString() => Name;
}

namespace KvmPS;

/// <summary>One disk of a snapshot: how it was captured and, for an external snapshot, the overlay file.</summary>
public sealed class KvmSnapshotDisk
{
    /// <summary>The disk's target in the guest (vda, sdb, ...).</summary>
    public string Target { get; internal init; } = "";

    /// <summary>Internal, External, or None for a disk the snapshot leaves out.</summary>
    public KvmSnapshotKind Kind { get; internal init; }

    /// <summary>For an external snapshot: the overlay that took the writes made after the snapshot.</summary>
    public string? File { get; internal init; }

    /// <summary>Whether KvmPS created the overlay file (it then removes it with the snapshot or the VM).</summary>
    public bool OwnedByVM { get; internal init; }

    /// <summary>Target and kind, e.g. "vda (External)".</summary>
    public override string ToString() => $"{Target} ({Kind})";
}

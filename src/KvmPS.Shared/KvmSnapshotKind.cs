namespace KvmPS;

/// <summary>How a snapshot (or one disk of it) keeps its state.</summary>
public enum KvmSnapshotKind
{
    /// <summary>Not in the snapshot (a CD-ROM, a read-only or shared disk).</summary>
    None = 0,

    /// <summary>Inside the qcow2 image itself (qemu's internal snapshot; memory too for a running VM).</summary>
    Internal = 1,

    /// <summary>The image is frozen and new writes go to an overlay file (memory, if any, to a file of its own).</summary>
    External = 2,
}

namespace KvmPS;

/// <summary>How Move-KvmVM copies disks that the destination does not share: every block, or only what the destination's copy lacks.</summary>
public enum KvmStorageCopy
{
    All,
    Incremental,
}

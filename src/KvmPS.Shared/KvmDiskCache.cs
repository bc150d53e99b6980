namespace KvmPS;

/// <summary>Host page cache mode of a disk (libvirt's driver cache attribute).</summary>
public enum KvmDiskCache
{
    /// <summary>cache=none: O_DIRECT on the host, the guest's flushes reach the disk.</summary>
    None,
    /// <summary>cache=writeback.</summary>
    Writeback,
    /// <summary>cache=writethrough.</summary>
    Writethrough,
    /// <summary>cache=directsync: O_DIRECT and every write synchronous.</summary>
    DirectSync,
    /// <summary>cache=unsafe: flushes are ignored (scratch disks only).</summary>
    Unsafe,
}

namespace KvmPS;

/// <summary>State of a storage pool (libvirt's virStoragePoolState).</summary>
public enum KvmStoragePoolState
{
    /// <summary>Defined but not started: its volumes cannot be used or listed.</summary>
    Inactive = 0,
    /// <summary>Being initialised.</summary>
    Building = 1,
    /// <summary>Started and usable.</summary>
    Running = 2,
    /// <summary>Started but degraded.</summary>
    Degraded = 3,
    /// <summary>Started but its storage cannot be reached.</summary>
    Inaccessible = 4,
}

namespace KvmPS;

/// <summary>The kinds of resource a configuration file describes, in the order they are made.</summary>
public enum KvmResourceKind
{
    /// <summary>A libvirt network (New-KvmNetwork).</summary>
    Network,

    /// <summary>A storage pool (New-KvmStoragePool).</summary>
    StoragePool,

    /// <summary>A volume in a pool (New-KvmVolume).</summary>
    Volume,

    /// <summary>A virtual machine (New-KvmVM plus its tuning).</summary>
    VM,
}

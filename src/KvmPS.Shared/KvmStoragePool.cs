namespace KvmPS;

/// <summary>A libvirt storage pool (Get-KvmStoragePool).</summary>
public sealed class KvmStoragePool
{
    /// <summary>Pool name.</summary>
    public string Name { get; internal init; } = "";

    /// <summary>Pool UUID.</summary>
    public Guid Uuid { get; internal init; }

    /// <summary>Pool type (Dir, Fs, NetFs, Logical, Rbd, Iscsi, ...).</summary>
    public KvmStoragePoolType Type { get; internal init; }

    /// <summary>libvirt's name for the pool type (dir, netfs, ...), also for types this module does not name.</summary>
    public string TypeName { get; internal init; } = "";

    /// <summary>Target path on the host (the directory, mount point or device directory); empty for pools without one (Rbd).</summary>
    public string? Path { get; internal init; }

    /// <summary>Current state.</summary>
    public KvmStoragePoolState State { get; internal init; }

    /// <summary>Whether the pool is started (State is not Inactive).</summary>
    public bool IsActive => State != KvmStoragePoolState.Inactive;

    /// <summary>Total size in bytes (0 while inactive).</summary>
    public ulong CapacityBytes { get; internal init; }

    /// <summary>Bytes in use (0 while inactive).</summary>
    public ulong AllocationBytes { get; internal init; }

    /// <summary>Free bytes (0 while inactive).</summary>
    public ulong AvailableBytes { get; internal init; }

    /// <summary>Whether libvirt starts the pool when the daemon starts.</summary>
    public bool Autostart { get; internal init; }

    /// <summary>Whether the pool has a persistent definition (false for a transient pool, which vanishes when stopped).</summary>
    public bool Persistent { get; internal init; }

    /// <summary>Source host(s) (NetFs server, iSCSI portal, Ceph monitors), "name" or "name:port".</summary>
    public string[] SourceHost { get; internal init; } = Array.Empty<string>();

    /// <summary>Source directory (the NetFs export path).</summary>
    public string? SourcePath { get; internal init; }

    /// <summary>Source device(s) (Fs device, Logical physical volumes, iSCSI target IQN).</summary>
    public string[] SourceDevice { get; internal init; } = Array.Empty<string>();

    /// <summary>Source name (Logical volume group, Ceph pool).</summary>
    public string? SourceName { get; internal init; }

    /// <summary>The connection URI this pool was read from.</summary>
    public string Uri { get; internal init; } = "";

    /// <summary>The pool name.</summary>
    public override string ToString() => Name;

    /// <summary>Capacity with a binary unit; sorts by bytes.</summary>
    public KvmSize Capacity => new(CapacityBytes);

    /// <summary>Free space with a binary unit; sorts by bytes.</summary>
    public KvmSize Available => new(AvailableBytes);

    /// <summary>Where the pool is: its path, or host(s)/source name for a network pool.</summary>
    public string? Location => !string.IsNullOrEmpty(Path) ? Path : !string.IsNullOrEmpty(SourceName) ? $"{string.Join(",", SourceHost)}/{SourceName}" : null;
}

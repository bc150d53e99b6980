namespace KvmPS;

/// <summary>The kind of storage behind a pool (libvirt's pool type).</summary>
public enum KvmStoragePoolType
{
    /// <summary>A pool type this module does not know by name.</summary>
    Unknown = 0,
    /// <summary>A directory on the host (libvirt type <c>dir</c>).</summary>
    Dir,
    /// <summary>A block device with a file system, mounted on the target path (<c>fs</c>).</summary>
    Fs,
    /// <summary>A network file system export (NFS, CIFS, ...) mounted on the target path (<c>netfs</c>).</summary>
    NetFs,
    /// <summary>An LVM volume group (<c>logical</c>).</summary>
    Logical,
    /// <summary>A whole disk whose partitions are the volumes (<c>disk</c>).</summary>
    Disk,
    /// <summary>An iSCSI target whose LUNs are the volumes (<c>iscsi</c>).</summary>
    Iscsi,
    /// <summary>An iSCSI target reached by QEMU's own initiator (<c>iscsi-direct</c>).</summary>
    IscsiDirect,
    /// <summary>A SCSI host adapter (<c>scsi</c>).</summary>
    Scsi,
    /// <summary>Multipath devices (<c>mpath</c>).</summary>
    Mpath,
    /// <summary>A Ceph RADOS block device pool (<c>rbd</c>).</summary>
    Rbd,
    /// <summary>A Sheepdog cluster (<c>sheepdog</c>).</summary>
    Sheepdog,
    /// <summary>A Gluster volume (<c>gluster</c>).</summary>
    Gluster,
    /// <summary>A ZFS pool (<c>zfs</c>).</summary>
    Zfs,
    /// <summary>A Virtuozzo storage cluster (<c>vstorage</c>).</summary>
    Vstorage,
}

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

/// <summary>The image format of a new volume.</summary>
public enum KvmVolumeFormat
{
    /// <summary>QEMU copy-on-write v2: thin, supports backing files (overlays) and snapshots.</summary>
    Qcow2,
    /// <summary>Plain bytes: the guest sees the file or device as it is.</summary>
    Raw,
}

/// <summary>A libvirt storage pool (Get-KvmStoragePool).</summary>
public sealed class KvmStoragePool
{
    /// <summary>Pool name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Pool UUID.</summary>
    public Guid Uuid { get; init; }

    /// <summary>Pool type (Dir, Fs, NetFs, Logical, Rbd, Iscsi, ...).</summary>
    public KvmStoragePoolType Type { get; init; }

    /// <summary>libvirt's name for the pool type (dir, netfs, ...), also for types this module does not name.</summary>
    public string TypeName { get; init; } = "";

    /// <summary>Target path on the host (the directory, mount point or device directory); empty for pools without one (Rbd).</summary>
    public string? Path { get; init; }

    /// <summary>Current state.</summary>
    public KvmStoragePoolState State { get; init; }

    /// <summary>Whether the pool is started (State is not Inactive).</summary>
    public bool IsActive => State != KvmStoragePoolState.Inactive;

    /// <summary>Total size in bytes (0 while inactive).</summary>
    public ulong CapacityBytes { get; init; }

    /// <summary>Bytes in use (0 while inactive).</summary>
    public ulong AllocationBytes { get; init; }

    /// <summary>Free bytes (0 while inactive).</summary>
    public ulong AvailableBytes { get; init; }

    /// <summary>Whether libvirt starts the pool when the daemon starts.</summary>
    public bool Autostart { get; init; }

    /// <summary>Whether the pool has a persistent definition (false for a transient pool, which vanishes when stopped).</summary>
    public bool Persistent { get; init; }

    /// <summary>Source host(s) (NetFs server, iSCSI portal, Ceph monitors), "name" or "name:port".</summary>
    public string[] SourceHost { get; init; } = Array.Empty<string>();

    /// <summary>Source directory (the NetFs export path).</summary>
    public string? SourcePath { get; init; }

    /// <summary>Source device(s) (Fs device, Logical physical volumes, iSCSI target IQN).</summary>
    public string[] SourceDevice { get; init; } = Array.Empty<string>();

    /// <summary>Source name (Logical volume group, Ceph pool).</summary>
    public string? SourceName { get; init; }

    /// <summary>The connection URI this pool was read from.</summary>
    public string Uri { get; init; } = "";

    /// <summary>The pool name.</summary>
    public override string ToString() => Name;
}

/// <summary>A storage volume in a pool: a disk image file, logical volume, LUN, ... (Get-KvmVolume).</summary>
public sealed class KvmVolume
{
    /// <summary>Volume name, unique within its pool.</summary>
    public string Name { get; init; } = "";

    /// <summary>Name of the pool that holds the volume.</summary>
    public string Pool { get; init; } = "";

    /// <summary>Path of the volume on the host (what a VM's disk points at).</summary>
    public string Path { get; init; } = "";

    /// <summary>Image format as libvirt reports it (qcow2, raw, iso, ...), or null when the pool has none (block devices).</summary>
    public string? Format { get; init; }

    /// <summary>Kind of volume as libvirt reports it (file, block, dir, network, netdir, ploop).</summary>
    public string? Type { get; init; }

    /// <summary>Virtual size in bytes: what a guest sees.</summary>
    public ulong CapacityBytes { get; init; }

    /// <summary>Bytes the volume takes on the host.</summary>
    public ulong AllocationBytes { get; init; }

    /// <summary>The image this volume is an overlay on, or null.</summary>
    public string? BackingPath { get; init; }

    /// <summary>Format of the backing image, or null.</summary>
    public string? BackingFormat { get; init; }

    /// <summary>The connection URI this volume was read from.</summary>
    public string Uri { get; init; } = "";

    /// <summary>The volume name.</summary>
    public override string ToString() => Name;
}

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

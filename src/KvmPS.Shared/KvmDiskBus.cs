namespace KvmPS;

/// <summary>The bus a disk sits on in the guest.</summary>
public enum KvmDiskBus
{
    /// <summary>virtio-blk: one PCI device per disk, target vdX.</summary>
    Virtio,
    /// <summary>A SCSI disk on a virtio-scsi controller (added when missing), target sdX.</summary>
    Scsi,
    /// <summary>SATA (AHCI), target sdX. Cannot be hot-plugged.</summary>
    Sata,
    /// <summary>USB mass storage, target sdX.</summary>
    Usb,
}

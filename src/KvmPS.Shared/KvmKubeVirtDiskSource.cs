namespace KvmPS;

/// <summary>Where the disks of a VM converted to KubeVirt come from.</summary>
public enum KvmKubeVirtDiskSource
{
    /// <summary>A container image holding the disk image (containerDisk volume; ephemeral).</summary>
    ContainerDisk,
    /// <summary>A PersistentVolumeClaim of the same name, filled with virtctl image-upload pvc.</summary>
    Pvc,
    /// <summary>A CDI DataVolume (upload source) written beside the VM, filled with virtctl image-upload dv.</summary>
    DataVolume,
}

namespace KvmPS.Engine.Conversion;

/// <summary>What ConvertTo-KvmKubeVirt was asked for, and how it learns what the domain XML does not say.</summary>
public sealed class KubeVirtOptions
{
    /// <summary>How the disks are brought into the cluster.</summary>
    public KvmKubeVirtDiskSource DiskSource { get; init; } = KvmKubeVirtDiskSource.ContainerDisk;

    /// <summary>storageClassName of the PVCs and DataVolumes; the cluster's default when null.</summary>
    public string? StorageClass { get; init; }

    /// <summary>metadata.namespace of every object; none when null.</summary>
    public string? Namespace { get; init; }

    /// <summary>runStrategy Always (true) or Halted (false).</summary>
    public bool Running { get; init; }

    /// <summary>Registry (and path) the container disk images are pushed to; the image names have no registry when null.</summary>
    public string? ImageRegistry { get; init; }

    /// <summary>cloud-init user-data for a cloudInitNoCloud volume (replacing a NoCloud seed CD-ROM of the VM).</summary>
    public string? CloudInitUserData { get; init; }

    /// <summary>The virtual size in bytes of a disk image by its path on the host, or null when unknown.</summary>
    public Func<string, ulong?> DiskSize { get; init; } = _ => null;

    /// <summary>Vendor, product and class of a host PCI device by its address (0000:01:00.0), or null when unknown.</summary>
    public Func<string, KubeVirtPciInfo?> PciLookup { get; init; } = _ => null;
}

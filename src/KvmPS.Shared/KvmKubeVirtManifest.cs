namespace KvmPS;

/// <summary>
/// A VM converted to KubeVirt (ConvertTo-KvmKubeVirt): the YAML of the VirtualMachine (and of its
/// DataVolumes), the commands that bring the disk images into the cluster, and every setting of the
/// domain that KubeVirt cannot express.
/// </summary>
public sealed class KvmKubeVirtManifest
{
    /// <summary>Name of the libvirt VM that was converted.</summary>
    public string VMName { get; internal init; } = "";

    /// <summary>metadata.name of the VirtualMachine (a DNS-1123 label made from the VM's name).</summary>
    public string Name { get; internal init; } = "";

    /// <summary>The main object's kind: VirtualMachine.</summary>
    public string Kind { get; internal init; } = "VirtualMachine";

    /// <summary>apiVersion of the main object (kubevirt.io/v1).</summary>
    public string ApiVersion { get; internal init; } = "kubevirt.io/v1";

    /// <summary>Namespace written into the manifests; null when none was given.</summary>
    public string? Namespace { get; internal init; }

    /// <summary>How the disks are brought in (ContainerDisk, Pvc or DataVolume).</summary>
    public KvmKubeVirtDiskSource DiskSource { get; internal init; }

    /// <summary>The whole YAML: the VirtualMachine, then each DataVolume, as separate documents.</summary>
    public string Yaml { get; internal init; } = "";

    /// <summary>The YAML of the VirtualMachine alone.</summary>
    public string VirtualMachineYaml { get; internal init; } = "";

    /// <summary>The YAML of each DataVolume (cdi.kubevirt.io/v1beta1), one document each; empty unless DiskSource is DataVolume.</summary>
    public string[] DataVolumeYaml { get; internal init; } = Array.Empty<string>();

    /// <summary>The commands that bring each disk image into the cluster (virtctl image-upload, or a container build and push).</summary>
    public string[] UploadSteps { get; internal init; } = Array.Empty<string>();

    /// <summary>What of the domain KubeVirt cannot express and the manifest therefore leaves out (host paths, direct NICs, devices KubeVirt lacks).</summary>
    public string[] Unmapped { get; internal init; } = Array.Empty<string>();

    /// <summary>Settings that were mapped approximately, and what to check in the cluster.</summary>
    public string[] Notes { get; internal init; } = Array.Empty<string>();

    /// <summary>The connection URI the VM was read from.</summary>
    public string Uri { get; internal init; } = "";

    /// <inheritdoc />
    public override string ToString() => Yaml;
}

namespace KvmPS.Engine.Domains;

/// <summary>Everything New-KvmVM decided, from which the domain XML is built.</summary>
public sealed class VmSpec
{
    public string Name { get; init; } = "";
    /// <summary>The VM's UUID, chosen up front so the storage it owns can name its owner.</summary>
    public Guid Uuid { get; init; } = Guid.NewGuid();
    public ulong MemoryBytes { get; init; }
    public int VCpuCount { get; init; } = 1;
    public string DomainType { get; init; } = "kvm";
    public string Arch { get; init; } = "x86_64";
    /// <summary>Machine type or alias (q35, pc); null leaves it to the hypervisor.</summary>
    public string? Machine { get; init; }
    public VmFirmware Firmware { get; init; }
    public List<VmDiskSpec> Disks { get; init; } = new();
    public List<VmNicSpec> Nics { get; init; } = new();
    public VmGraphics Graphics { get; init; } = VmGraphics.Vnc;
    public string? GraphicsListen { get; init; }
    public string? Kernel { get; init; }
    public string? Initrd { get; init; }
    public string? KernelArgs { get; init; }
    public string? SerialLogPath { get; init; }
    public string? Description { get; init; }
    public string? OsId { get; init; }
    /// <summary>The libosinfo short id the VM was asked for (ubuntu22.04), recorded in the KvmPS metadata.</summary>
    public string? OsShortId { get; init; }
    public bool VirtioDisk { get; init; } = true;
    public bool VirtioNet { get; init; } = true;
    /// <summary>Put the CD-ROM first in the boot order (an install from ISO).</summary>
    public bool CdromFirst { get; init; }
    /// <summary>Whether the driver is QEMU (adds the devices a QEMU guest needs; the test driver gets a minimal set).</summary>
    public bool IsQemu { get; init; } = true;
    /// <summary>CPU mode to set, e.g. host-passthrough; null leaves the default.</summary>
    public string? CpuMode { get; init; }

    /// <summary>Cache mode of the disks (none for direct I/O); null leaves the default.</summary>
    public string? DiskCache { get; init; }

    /// <summary>I/O mode of the disks (native needs cache none); null leaves the default.</summary>
    public string? DiskIO { get; init; }

    /// <summary>Queues of virtio NICs with the vhost backend (multiqueue); null leaves the default.</summary>
    public int? NicQueues { get; init; }
}

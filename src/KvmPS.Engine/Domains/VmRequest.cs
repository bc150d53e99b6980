namespace KvmPS.Engine.Domains;

/// <summary>
/// What New-KvmVM was asked for, as plain values. A value left out is null (for the sizes and
/// the disk format this differs from a default: "not given" changes what is checked).
/// </summary>
public sealed record VmRequest
{
    public string Name { get; init; } = "";
    public ulong MemoryBytes { get; init; }
    public int VCpuCount { get; init; } = 1;

    /// <summary>Size of the disk to create; null when not given.</summary>
    public ulong? DiskSizeBytes { get; init; }

    /// <summary>Pool to create the disk volume in.</summary>
    public string? Pool { get; init; }

    /// <summary>Disk image file, as the user gave it (resolved with <see cref="ResolvePath"/>).</summary>
    public string? DiskPath { get; init; }

    /// <summary>qcow2 or raw; null when not given (new disks are then qcow2, an existing one is probed).</summary>
    public string? DiskFormat { get; init; }

    /// <summary>Boot the existing disk instead of installing.</summary>
    public bool Import { get; init; }

    public string? Cdrom { get; init; }
    public IReadOnlyList<string> Networks { get; init; } = Array.Empty<string>();
    public string? Bridge { get; init; }
    public IReadOnlyList<string>? MacAddresses { get; init; }

    /// <summary>Lets MacAddresses that other VMs of the host have pass (-Force).</summary>
    public bool AllowMacAddressInUse { get; init; }

    public VmGraphics Graphics { get; init; } = VmGraphics.Vnc;
    public string? GraphicsListen { get; init; }
    public string? OSVariant { get; init; }
    public VmFirmware Firmware { get; init; } = VmFirmware.Bios;
    public string? MachineType { get; init; }
    public string? Kernel { get; init; }
    public string? Initrd { get; init; }
    public string? KernelArgs { get; init; }
    public string? SerialLogPath { get; init; }

    /// <summary>cloud-init user-data, or the path of a local file holding it; a NoCloud seed ISO is made beside the disk.</summary>
    public string? CloudInitUserData { get; init; }

    public string? CloudInitMetaData { get; init; }
    public string? Description { get; init; }
    public VmVirtType VirtType { get; init; } = VmVirtType.Auto;

    /// <summary>The HighPerformance profile: pinned vCPUs, host CPU, huge pages, direct I/O, multiqueue NICs.</summary>
    public bool HighPerformance { get; init; }

    public bool Autostart { get; init; }
    public bool Start { get; init; }

    /// <summary>Read the new VM back into the result (for -PassThru).</summary>
    public bool ReadBack { get; init; }

    /// <summary>
    /// Turns a path the user gave into a path on this machine (relative to the shell's current
    /// location). Used where the host is this machine, and for -DiskPath.
    /// </summary>
    public Func<string, string> ResolvePath { get; init; } = p => Path.GetFullPath(p);

    /// <summary>An emulated TPM 2.0 (-Tpm); UEFI guests and OSes that need one get it anyway.</summary>
    public bool Tpm { get; init; }

    /// <summary>UEFI with secure boot (-SecureBoot); automatic for an OS that needs it (win11).</summary>
    public bool SecureBoot { get; init; }

    /// <summary>Graphics was given; when not, virt-install's default (SPICE where the host has it) is used.</summary>
    public bool GraphicsGiven { get; init; } = true;

    /// <summary>Firmware was given; when not, the OS's need (UEFI for win11) decides.</summary>
    public bool FirmwareGiven { get; init; } = true;

    /// <summary>A network option was given (or no NIC was asked for); when not, virt-install's default NIC is added.</summary>
    public bool NetworkGiven { get; init; } = true;

    /// <summary>Everything else virt-install can be asked for (more disks, install tree, CPU, boot, ...).</summary>
    public VmInstallOptions Install { get; init; } = new();

    /// <summary>Number of network adapters asked for.</summary>
    public int NicCount => Networks.Count + (Bridge is null ? 0 : 1);
}

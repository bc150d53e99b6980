using System.Security;

namespace KvmPS.Engine.Domains;

/// <summary>
/// The parts of a New-KvmVM request beyond its first disk, NIC and console, as virt-install has
/// them: more disks, an install tree, the CPU, memory and boot settings, graphics access, the
/// serial port, shares, and how the install is run (first boot, waiting for its reboot). Null
/// and empty members are not given.
/// </summary>
public sealed record VmInstallOptions
{
    /// <summary>Disks from -Disk, after the -DiskPath/-DiskSize disk if there is one.</summary>
    public IReadOnlyList<VmDiskRequest> Disks { get; init; } = Array.Empty<VmDiskRequest>();

    /// <summary>An install tree (a directory or an ISO image) whose kernel and initrd boot the install once.</summary>
    public string? Location { get; init; }

    /// <summary>Kernel arguments of the install boot from <see cref="Location"/> (kickstart, preseed).</summary>
    public string? ExtraArgs { get; init; }

    public KvmCpuMode? CpuMode { get; init; }
    public string? CpuModel { get; init; }
    public int? Sockets { get; init; }
    public int? Cores { get; init; }
    public int? Threads { get; init; }

    /// <summary>vCPUs the VM can have with hot-plug; the VM starts with the request's VCpuCount.</summary>
    public int? MaxVCpuCount { get; init; }

    /// <summary>Memory the VM can grow to (balloon); it starts with the request's MemoryBytes.</summary>
    public ulong? MaxMemoryBytes { get; init; }

    /// <summary>NIC model for every adapter (virtio, e1000e, e1000, rtl8139), instead of the OS default.</summary>
    public string? NetworkModel { get; init; }

    /// <summary>Host interfaces to attach macvtap (type=direct, mode bridge) adapters to.</summary>
    public IReadOnlyList<string> DirectInterfaces { get; init; } = Array.Empty<string>();

    /// <summary>No network adapter at all (virt-install --network none).</summary>
    public bool NoNetwork { get; init; }

    /// <summary>Boot the install from the network (PXE) once.</summary>
    public bool Pxe { get; init; }

    /// <summary>The boot order of the final definition (hd, cdrom, network, fd); empty keeps the default.</summary>
    public IReadOnlyList<string> BootOrder { get; init; } = Array.Empty<string>();

    /// <summary>The graphics port; null for an automatic one.</summary>
    public int? GraphicsPort { get; init; }

    public SecureString? GraphicsPassword { get; init; }

    /// <summary>The serial port: pty (default), file=PATH, tcp=HOST:PORT, unix=PATH.</summary>
    public string? Serial { get; init; }

    /// <summary>virtiofs shares: host directory and the tag the guest mounts.</summary>
    public IReadOnlyList<VmFilesystemSpec> Filesystems { get; init; } = Array.Empty<VmFilesystemSpec>();

    /// <summary>Public SSH keys for root in generated user-data (virt-install's root-ssh-key=): key texts or .pub files.</summary>
    public IReadOnlyList<string> SshKeys { get; init; } = Array.Empty<string>();

    /// <summary>A generated root password in generated user-data, to change at the first login.</summary>
    public bool RootPasswordGenerate { get; init; }

    /// <summary>cloud-init network-config for the seed: the text, or a file holding it.</summary>
    public string? CloudInitNetworkConfig { get; init; }

    /// <summary>Host devices to pass through (node device names, PCI addresses, USB vendor:product).</summary>
    public IReadOnlyList<string> HostDevices { get; init; } = Array.Empty<string>();

    /// <summary>After -Start, wait for the install boot to end and start the final configuration.</summary>
    public bool Wait { get; init; }

    /// <summary>How long to wait for the install boot to end; null waits as long as it takes.</summary>
    public TimeSpan? WaitTimeout { get; init; }
}

namespace KvmPS;

/// <summary>The state of a virtual machine (libvirt's virDomainState).</summary>
public enum KvmVMState
{
    /// <summary>No state reported.</summary>
    NoState = 0,
    /// <summary>Running.</summary>
    Running = 1,
    /// <summary>Blocked on a resource.</summary>
    Blocked = 2,
    /// <summary>Paused (suspended) by the user or by libvirt.</summary>
    Paused = 3,
    /// <summary>Being shut down.</summary>
    Shutdown = 4,
    /// <summary>Shut off (defined but not running).</summary>
    ShutOff = 5,
    /// <summary>Crashed.</summary>
    Crashed = 6,
    /// <summary>Suspended by guest power management.</summary>
    PMSuspended = 7,
}

/// <summary>A virtual machine (libvirt domain).</summary>
public sealed class KvmVM
{
    /// <summary>Name of the VM.</summary>
    public string Name { get; init; } = "";

    /// <summary>UUID of the VM.</summary>
    public Guid Uuid { get; init; }

    /// <summary>Runtime id while running; null when shut off.</summary>
    public int? Id { get; init; }

    /// <summary>Current state.</summary>
    public KvmVMState State { get; init; }

    /// <summary>libvirt's reason code for the state (e.g. booted, user shutdown).</summary>
    public int StateReason { get; init; }

    /// <summary>Domain type: kvm, qemu (software emulation) or test.</summary>
    public string DomainType { get; init; } = "";

    /// <summary>Number of vCPUs currently configured.</summary>
    public int VCpuCount { get; init; }

    /// <summary>Maximum number of vCPUs (hot-plug limit).</summary>
    public int MaxVCpuCount { get; init; }

    /// <summary>Maximum memory in bytes.</summary>
    public ulong MemoryBytes { get; init; }

    /// <summary>Current (balloon) memory in bytes.</summary>
    public ulong CurrentMemoryBytes { get; init; }

    /// <summary>Whether the VM starts with the host.</summary>
    public bool Autostart { get; init; }

    /// <summary>Whether the VM has a persistent definition (false for transient VMs).</summary>
    public bool Persistent { get; init; }

    /// <summary>Free-text description.</summary>
    public string? Description { get; init; }

    /// <summary>libosinfo OS id recorded in the domain metadata, e.g. http://ubuntu.com/ubuntu/22.04.</summary>
    public string? OSVariant { get; init; }

    /// <summary>Machine type (e.g. pc-q35-7.2).</summary>
    public string? MachineType { get; init; }

    /// <summary>CPU architecture of the guest.</summary>
    public string? Architecture { get; init; }

    /// <summary>Firmware: Bios or Uefi.</summary>
    public string Firmware { get; init; } = "Bios";

    /// <summary>CPU mode (host-passthrough, host-model, custom, maximum) when set.</summary>
    public string? CpuMode { get; init; }

    /// <summary>Disks and CD-ROMs.</summary>
    public KvmDisk[] Disks { get; init; } = Array.Empty<KvmDisk>();

    /// <summary>Network adapters.</summary>
    public KvmNetworkAdapter[] NetworkAdapters { get; init; } = Array.Empty<KvmNetworkAdapter>();

    /// <summary>Graphics consoles.</summary>
    public KvmGraphics[] Graphics { get; init; } = Array.Empty<KvmGraphics>();

    /// <summary>PCI addresses of the host devices passed through to the VM.</summary>
    public string[] HostDevices { get; init; } = Array.Empty<string>();

    /// <summary>The connection URI this VM was read from.</summary>
    public string Uri { get; init; } = "";

    /// <summary>The VM's domain XML as read (live definition when running).</summary>
    public string Xml { get; init; } = "";

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>A disk or CD-ROM of a VM.</summary>
public sealed class KvmDisk
{
    /// <summary>Name of the VM.</summary>
    public string VMName { get; init; } = "";
    /// <summary>disk, cdrom or floppy.</summary>
    public string Device { get; init; } = "disk";
    /// <summary>Guest target name (vda, sda, ...).</summary>
    public string Target { get; init; } = "";
    /// <summary>Bus (virtio, sata, scsi, ide, usb).</summary>
    public string Bus { get; init; } = "";
    /// <summary>Source file, block device or volume path.</summary>
    public string? Path { get; init; }
    /// <summary>Image format (qcow2, raw, ...).</summary>
    public string? Format { get; init; }
    /// <summary>Cache mode when set.</summary>
    public string? Cache { get; init; }
    /// <summary>I/O mode when set.</summary>
    public string? IO { get; init; }
    /// <summary>Read-only.</summary>
    public bool ReadOnly { get; init; }
    /// <summary>Discard mode (unmap passes the guest's TRIM to the image) when set.</summary>
    public string? Discard { get; init; }
    /// <summary>Whether KvmPS created this storage for the VM (Remove-KvmVM -DeleteStorage removes only these).</summary>
    public bool OwnedByVM { get; init; }
    /// <summary>The connection URI.</summary>
    public string Uri { get; init; } = "";
}

/// <summary>A network adapter of a VM.</summary>
public sealed class KvmNetworkAdapter
{
    /// <summary>Name of the VM.</summary>
    public string VMName { get; init; } = "";
    /// <summary>MAC address.</summary>
    public string? MacAddress { get; init; }
    /// <summary>network, bridge, direct, ...</summary>
    public string Type { get; init; } = "";
    /// <summary>libvirt network name or host bridge.</summary>
    public string? Source { get; init; }
    /// <summary>Device model (virtio, e1000e, ...).</summary>
    public string? Model { get; init; }
    /// <summary>Backend driver (vhost, qemu) when set.</summary>
    public string? Driver { get; init; }
    /// <summary>Number of queues (multiqueue) when set.</summary>
    public int? Queues { get; init; }
    /// <summary>Host-side device name while running.</summary>
    public string? TargetDevice { get; init; }
    /// <summary>Link state the guest sees (up unless set down).</summary>
    public KvmLinkState LinkState { get; init; }
    /// <summary>The connection URI.</summary>
    public string Uri { get; init; } = "";
}

/// <summary>A graphics console of a VM.</summary>
public sealed class KvmGraphics
{
    /// <summary>vnc or spice.</summary>
    public string Type { get; init; } = "";
    /// <summary>Listen address.</summary>
    public string? Listen { get; init; }
    /// <summary>Port (-1 = automatic).</summary>
    public int? Port { get; init; }
}

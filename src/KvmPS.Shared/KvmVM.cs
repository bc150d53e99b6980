namespace KvmPS;

/// <summary>A virtual machine (libvirt domain).</summary>
public sealed class KvmVM
{
    /// <summary>Name of the VM.</summary>
    public string Name { get; internal init; } = "";

    /// <summary>UUID of the VM.</summary>
    public Guid Uuid { get; internal init; }

    /// <summary>Runtime id while running; null when shut off.</summary>
    public int? Id { get; internal init; }

    /// <summary>Current state.</summary>
    public KvmVMState State { get; internal init; }

    /// <summary>libvirt's reason code for the state (e.g. booted, user shutdown).</summary>
    public int StateReason { get; internal init; }

    /// <summary>Domain type: kvm, qemu (software emulation) or test.</summary>
    public string DomainType { get; internal init; } = "";

    /// <summary>Number of vCPUs currently configured.</summary>
    public int VCpuCount { get; internal init; }

    /// <summary>Maximum number of vCPUs (hot-plug limit).</summary>
    public int MaxVCpuCount { get; internal init; }

    /// <summary>Maximum memory in bytes.</summary>
    public ulong MemoryBytes { get; internal init; }

    /// <summary>Current (balloon) memory in bytes.</summary>
    public ulong CurrentMemoryBytes { get; internal init; }

    /// <summary>Whether the VM starts with the host.</summary>
    public bool Autostart { get; internal init; }

    /// <summary>Whether the VM has a persistent definition (false for transient VMs).</summary>
    public bool Persistent { get; internal init; }

    /// <summary>Free-text description.</summary>
    public string? Description { get; internal init; }

    /// <summary>Short id of the OS, as typed for New-KvmVM -OSVariant (e.g. ubuntu22.04); the full id is OSVariantUri.</summary>
    public string? OSVariant { get; internal init; }

    /// <summary>libosinfo OS id recorded in the domain metadata, e.g. http://ubuntu.com/ubuntu/22.04.</summary>
    public string? OSVariantUri { get; internal init; }

    /// <summary>Machine type (e.g. pc-q35-7.2).</summary>
    public string? MachineType { get; internal init; }

    /// <summary>CPU architecture of the guest.</summary>
    public string? Architecture { get; internal init; }

    /// <summary>Firmware: Bios or Uefi.</summary>
    public string Firmware { get; internal init; } = "Bios";

    /// <summary>CPU mode (host-passthrough, host-model, custom, maximum) when set.</summary>
    public string? CpuMode { get; internal init; }

    /// <summary>Disks and CD-ROMs.</summary>
    public KvmDisk[] Disks { get; internal init; } = Array.Empty<KvmDisk>();

    /// <summary>Network adapters.</summary>
    public KvmNetworkAdapter[] NetworkAdapters { get; internal init; } = Array.Empty<KvmNetworkAdapter>();

    /// <summary>Graphics consoles.</summary>
    public KvmGraphics[] Graphics { get; internal init; } = Array.Empty<KvmGraphics>();

    /// <summary>PCI addresses of the host devices passed through to the VM.</summary>
    public string[] HostDevices { get; internal init; } = Array.Empty<string>();

    /// <summary>Every host device passed through to the VM: PCI, USB, SCSI and mediated devices alike.</summary>
    public KvmPassthroughDevice[] PassthroughDevices { get; internal init; } = Array.Empty<KvmPassthroughDevice>();

    /// <summary>The connection URI this VM was read from.</summary>
    public string Uri { get; internal init; } = "";

    /// <summary>The computer the VM was read from: the host part of <see cref="Uri"/>, or this machine for a local URI (tells hosts apart in a fan-out).</summary>
    public string ComputerName => UriHostName.Of(Uri);

    /// <summary>The VM's domain XML as read (live definition when running).</summary>
    public string Xml { get; internal init; } = "";

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>Domain type (the table's Type column; same as <see cref="DomainType"/>).</summary>
    public string Type => DomainType;

    /// <summary>Number of vCPUs currently configured (the table's vCPUs column; same as <see cref="VCpuCount"/>).</summary>
    public int VCpus => VCpuCount;

    /// <summary>Maximum memory in MiB, rounded (the table's MemoryMiB column).</summary>
    public ulong MemoryMiB => (ulong)Math.Round(MemoryBytes / (1024.0 * 1024.0), MidpointRounding.ToEven);

    /// <summary>The OS variant without its URI host, e.g. ubuntu/22.04; null when none is recorded.</summary>
    public string? OS => string.IsNullOrEmpty(OSVariantUri) ? null : System.Text.RegularExpressions.Regex.Replace(OSVariantUri, "^https?://[^/]+/", "");

    /// <summary>Number of disks and CD-ROMs.</summary>
    public int DiskCount => Disks.Length;

    /// <summary>Number of network adapters.</summary>
    public int NicCount => NetworkAdapters.Length;
}

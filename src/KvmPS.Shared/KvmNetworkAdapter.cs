namespace KvmPS;

/// <summary>A network adapter of a VM.</summary>
public sealed class KvmNetworkAdapter
{
    /// <summary>Name of the VM.</summary>
    public string VMName { get; internal init; } = "";
    /// <summary>MAC address.</summary>
    public string? MacAddress { get; internal init; }
    /// <summary>network, bridge, direct, ...</summary>
    public string Type { get; internal init; } = "";
    /// <summary>libvirt network name or host bridge.</summary>
    public string? Source { get; internal init; }
    /// <summary>Device model (virtio, e1000e, ...).</summary>
    public string? Model { get; internal init; }
    /// <summary>Backend driver (vhost, qemu) when set.</summary>
    public string? Driver { get; internal init; }
    /// <summary>Number of queues (multiqueue) when set.</summary>
    public int? Queues { get; internal init; }
    /// <summary>Host-side device name while running.</summary>
    public string? TargetDevice { get; internal init; }
    /// <summary>Link state the guest sees (up unless set down).</summary>
    public KvmLinkState LinkState { get; internal init; }
    /// <summary>
    /// The guest's IP addresses on this adapter where libvirt knows them (DHCP leases of libvirt's
    /// networks, the guest agent, the host's ARP table); filled by Get-KvmNetworkAdapter for a
    /// running VM, empty otherwise.
    /// </summary>
    public string[] IPAddresses { get; internal set; } = Array.Empty<string>();
    /// <summary>The connection URI.</summary>
    public string Uri { get; internal init; } = "";
}

namespace KvmPS;

/// <summary>A network interface of the guest with its addresses.</summary>
public sealed class KvmGuestInterface
{
    /// <summary>The guest's name of the interface (eth0, ens3...), or the host-side name when the source is not the agent.</summary>
    public string Name { get; internal init; } = "";

    /// <summary>MAC address (lower case), if any.</summary>
    public string? MacAddress { get; internal init; }

    /// <summary>Addresses with prefix length, e.g. 192.168.122.10/24.</summary>
    public string[] IPAddresses { get; internal init; } = Array.Empty<string>();

    /// <summary>Where the addresses come from: Agent, Lease (libvirt's DHCP) or Arp (the host's ARP table).</summary>
    public string Source { get; internal init; } = "";
}

namespace KvmPS;

/// <summary>A static DHCP host of a network: a MAC (or IPv6 DHCP id) bound to an address and/or a name.</summary>
public sealed class KvmNetworkReservation
{
    /// <summary>Name of the network.</summary>
    public string Network { get; internal init; } = "";

    /// <summary>The guest's MAC address (IPv4 reservations).</summary>
    public string? MacAddress { get; internal init; }

    /// <summary>The DHCPv6 client id (DUID) of an IPv6 reservation.</summary>
    public string? ClientId { get; internal init; }

    /// <summary>The address the guest always receives.</summary>
    public string? IPAddress { get; internal init; }

    /// <summary>The host name DNS answers for the guest.</summary>
    public string? HostName { get; internal init; }

    /// <summary>The connection URI.</summary>
    public string Uri { get; internal init; } = "";
}

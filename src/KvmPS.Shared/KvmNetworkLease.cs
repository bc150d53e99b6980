namespace KvmPS;

/// <summary>A DHCP lease handed out by a network's DHCP server (Get-KvmNetworkLease).</summary>
public sealed class KvmNetworkLease
{
    /// <summary>Name of the network.</summary>
    public string Network { get; init; } = "";

    /// <summary>The bridge the lease was given on.</summary>
    public string? Interface { get; init; }

    /// <summary>When the lease expires (local time); null for a lease that never expires.</summary>
    public DateTime? ExpiryTime { get; init; }

    /// <summary>IPv4 or IPv6.</summary>
    public string Type { get; init; } = "";

    /// <summary>The guest's MAC address.</summary>
    public string? MacAddress { get; init; }

    /// <summary>The IAID of a DHCPv6 lease.</summary>
    public string? Iaid { get; init; }

    /// <summary>The leased address.</summary>
    public string IPAddress { get; init; } = "";

    /// <summary>Prefix length of the subnet the address belongs to.</summary>
    public int Prefix { get; init; }

    /// <summary>The host name the guest sent, if any.</summary>
    public string? HostName { get; init; }

    /// <summary>The DHCP client id (IPv4) or DUID (IPv6).</summary>
    public string? ClientId { get; init; }

    /// <summary>The connection URI.</summary>
    public string Uri { get; init; } = "";
}

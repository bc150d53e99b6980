namespace KvmPS;

/// <summary>A DHCP lease handed out by a network's DHCP server (Get-KvmNetworkLease).</summary>
public sealed class KvmNetworkLease
{
    /// <summary>Name of the network.</summary>
    public string Network { get; internal init; } = "";

    /// <summary>The bridge the lease was given on.</summary>
    public string? Interface { get; internal init; }

    /// <summary>When the lease expires (local time); null for a lease that never expires.</summary>
    public DateTime? ExpiryTime { get; internal init; }

    /// <summary>IPv4 or IPv6.</summary>
    public string Type { get; internal init; } = "";

    /// <summary>The guest's MAC address.</summary>
    public string? MacAddress { get; internal init; }

    /// <summary>The IAID of a DHCPv6 lease.</summary>
    public string? Iaid { get; internal init; }

    /// <summary>The leased address.</summary>
    public string IPAddress { get; internal init; } = "";

    /// <summary>Prefix length of the subnet the address belongs to.</summary>
    public int Prefix { get; internal init; }

    /// <summary>The host name the guest sent, if any.</summary>
    public string? HostName { get; internal init; }

    /// <summary>The DHCP client id (IPv4) or DUID (IPv6).</summary>
    public string? ClientId { get; internal init; }

    /// <summary>The connection URI.</summary>
    public string Uri { get; internal init; } = "";
}

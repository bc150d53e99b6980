namespace KvmPS;

/// <summary>A libvirt virtual network (Get-KvmNetwork, New-KvmNetwork -PassThru).</summary>
public sealed class KvmNetwork
{
    /// <summary>Network name.</summary>
    public string Name { get; internal init; } = "";

    /// <summary>libvirt's UUID of the network.</summary>
    public Guid Uuid { get; internal init; }

    /// <summary>How the network forwards traffic.</summary>
    public KvmNetworkMode Mode { get; internal init; }

    /// <summary>libvirt's forward mode as written in the XML (nat, route, open, bridge, ...); empty for an isolated network.</summary>
    public string ForwardMode { get; internal init; } = "";

    /// <summary>
    /// The Linux bridge the guests attach to: the one libvirt makes (virbrN) or, in Bridge mode,
    /// the existing host bridge.
    /// </summary>
    public string? BridgeName { get; internal init; }

    /// <summary>In Bridge mode, the existing host bridge guests join; otherwise null.</summary>
    public string? HostBridge { get; internal init; }

    /// <summary>The IPv4 subnet in CIDR form (e.g. 192.168.122.0/24), or null.</summary>
    public string? Subnet { get; internal init; }

    /// <summary>The host's address on the IPv4 subnet (the guests' gateway and DNS server).</summary>
    public string? Gateway { get; internal init; }

    /// <summary>First address of the IPv4 DHCP range, or null without DHCP.</summary>
    public string? DhcpStart { get; internal init; }

    /// <summary>Last address of the IPv4 DHCP range, or null without DHCP.</summary>
    public string? DhcpEnd { get; internal init; }

    /// <summary>The IPv6 subnet in CIDR form (e.g. fd00:1::/64), or null.</summary>
    public string? Subnet6 { get; internal init; }

    /// <summary>The host's address on the IPv6 subnet.</summary>
    public string? Gateway6 { get; internal init; }

    /// <summary>First address of the DHCPv6 range, or null.</summary>
    public string? DhcpStart6 { get; internal init; }

    /// <summary>Last address of the DHCPv6 range, or null.</summary>
    public string? DhcpEnd6 { get; internal init; }

    /// <summary>DNS domain the network's DNS server answers for (guest names resolve as name.domain).</summary>
    public string? DnsDomain { get; internal init; }

    /// <summary>Whether the network is running (bridge up, DHCP/DNS server started).</summary>
    public bool IsActive { get; internal init; }

    /// <summary>Whether the network starts with the libvirt daemon.</summary>
    public bool Autostart { get; internal init; }

    /// <summary>Whether the network is defined (persistent) rather than transient.</summary>
    public bool Persistent { get; internal init; }

    /// <summary>Static DHCP hosts (reservations) of the network.</summary>
    public KvmNetworkReservation[] Reservations { get; internal init; } = Array.Empty<KvmNetworkReservation>();

    /// <summary>The connection URI this network was read from.</summary>
    public string Uri { get; internal init; } = "";

    /// <summary>The IPv4 and IPv6 subnets, space-separated.</summary>
    public string Subnets => string.Join(" ", new[] { Subnet, Subnet6 }.Where(s => !string.IsNullOrEmpty(s)));

    /// <summary>The IPv4 and IPv6 gateway addresses, space-separated.</summary>
    public string Gateways => string.Join(" ", new[] { Gateway, Gateway6 }.Where(s => !string.IsNullOrEmpty(s)));

    /// <summary>The DHCP ranges as start-end, IPv4 then IPv6, space-separated.</summary>
    public string Dhcp => string.Join(" ", new[] { Range(DhcpStart, DhcpEnd), Range(DhcpStart6, DhcpEnd6) }.Where(s => s.Length > 0));

    private static string Range(string? start, string? end) => string.IsNullOrEmpty(start) ? "" : $"{start}-{end}";
}

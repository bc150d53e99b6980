namespace KvmPS;

/// <summary>How a libvirt network connects its guests to the outside (libvirt's forward mode).</summary>
public enum KvmNetworkMode
{
    /// <summary>A private subnet on a libvirt-made bridge, NATed to the host's uplinks (libvirt's <c>default</c>).</summary>
    Nat,
    /// <summary>A subnet on a libvirt-made bridge, routed (no NAT): the rest of the network needs a route back.</summary>
    Route,
    /// <summary>A libvirt-made bridge with no forwarding: guests reach each other (and the host, if it has an address) only.</summary>
    Isolated,
    /// <summary>Guests join an existing host bridge (e.g. br0); libvirt assigns no addresses.</summary>
    Bridge,
    /// <summary>Like Route, but libvirt adds no firewall rules at all.</summary>
    Open,
    /// <summary>A forward mode KvmPS does not create (macvtap private, vepa, passthrough, hostdev); see ForwardMode.</summary>
    Other,
}

/// <summary>A libvirt virtual network (Get-KvmNetwork, New-KvmNetwork -PassThru).</summary>
public sealed class KvmNetwork
{
    /// <summary>Network name.</summary>
    public string Name { get; init; } = "";

    /// <summary>libvirt's UUID of the network.</summary>
    public Guid Uuid { get; init; }

    /// <summary>How the network forwards traffic.</summary>
    public KvmNetworkMode Mode { get; init; }

    /// <summary>libvirt's forward mode as written in the XML (nat, route, open, bridge, ...); empty for an isolated network.</summary>
    public string ForwardMode { get; init; } = "";

    /// <summary>
    /// The Linux bridge the guests attach to: the one libvirt makes (virbrN) or, in Bridge mode,
    /// the existing host bridge.
    /// </summary>
    public string? BridgeName { get; init; }

    /// <summary>In Bridge mode, the existing host bridge guests join; otherwise null.</summary>
    public string? HostBridge { get; init; }

    /// <summary>The IPv4 subnet in CIDR form (e.g. 192.168.122.0/24), or null.</summary>
    public string? Subnet { get; init; }

    /// <summary>The host's address on the IPv4 subnet (the guests' gateway and DNS server).</summary>
    public string? Gateway { get; init; }

    /// <summary>First address of the IPv4 DHCP range, or null without DHCP.</summary>
    public string? DhcpStart { get; init; }

    /// <summary>Last address of the IPv4 DHCP range, or null without DHCP.</summary>
    public string? DhcpEnd { get; init; }

    /// <summary>The IPv6 subnet in CIDR form (e.g. fd00:1::/64), or null.</summary>
    public string? Subnet6 { get; init; }

    /// <summary>The host's address on the IPv6 subnet.</summary>
    public string? Gateway6 { get; init; }

    /// <summary>First address of the DHCPv6 range, or null.</summary>
    public string? DhcpStart6 { get; init; }

    /// <summary>Last address of the DHCPv6 range, or null.</summary>
    public string? DhcpEnd6 { get; init; }

    /// <summary>DNS domain the network's DNS server answers for (guest names resolve as name.domain).</summary>
    public string? DnsDomain { get; init; }

    /// <summary>Whether the network is running (bridge up, DHCP/DNS server started).</summary>
    public bool IsActive { get; init; }

    /// <summary>Whether the network starts with the libvirt daemon.</summary>
    public bool Autostart { get; init; }

    /// <summary>Whether the network is defined (persistent) rather than transient.</summary>
    public bool Persistent { get; init; }

    /// <summary>Static DHCP hosts (reservations) of the network.</summary>
    public KvmNetworkReservation[] Reservations { get; init; } = Array.Empty<KvmNetworkReservation>();

    /// <summary>The connection URI this network was read from.</summary>
    public string Uri { get; init; } = "";
}

/// <summary>A static DHCP host of a network: a MAC (or IPv6 DHCP id) bound to an address and/or a name.</summary>
public sealed class KvmNetworkReservation
{
    /// <summary>Name of the network.</summary>
    public string Network { get; init; } = "";

    /// <summary>The guest's MAC address (IPv4 reservations).</summary>
    public string? MacAddress { get; init; }

    /// <summary>The DHCPv6 client id (DUID) of an IPv6 reservation.</summary>
    public string? ClientId { get; init; }

    /// <summary>The address the guest always receives.</summary>
    public string? IPAddress { get; init; }

    /// <summary>The host name DNS answers for the guest.</summary>
    public string? HostName { get; init; }

    /// <summary>The connection URI.</summary>
    public string Uri { get; init; } = "";
}

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

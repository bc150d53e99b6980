namespace KvmPS.Engine.Networks;

/// <summary>
/// The parts of a libvirt network definition KvmPS plans, compares and reports: what New-KvmNetwork
/// writes and what it reads back from any network, whoever defined it.
/// </summary>
public sealed record NetworkDefinition
{
    public string Name { get; init; } = "";

    public Guid? Uuid { get; init; }

    public KvmNetworkMode Mode { get; init; }

    /// <summary>The forward mode as libvirt spells it ("" for isolated).</summary>
    public string ForwardMode { get; init; } = "";

    /// <summary>The bridge: libvirt-made in Nat/Route/Open/Isolated mode, the host's in Bridge mode.</summary>
    public string? BridgeName { get; init; }

    public string? DnsDomain { get; init; }

    public IReadOnlyList<NetworkIp> Ips { get; init; } = Array.Empty<NetworkIp>();

    public NetworkIp? IPv4 => Ips.FirstOrDefault(i => !i.Subnet.IsIPv6);

    public NetworkIp? IPv6 => Ips.FirstOrDefault(i => i.Subnet.IsIPv6);

    public IEnumerable<IpSubnet> Subnets => Ips.Select(i => i.Subnet);
}

/// <summary>One address of a network: the subnet, the host's own address in it, the DHCP range and static hosts.</summary>
public sealed record NetworkIp
{
    public IpSubnet Subnet { get; init; }

    /// <summary>The host's address on the subnet, which guests use as gateway and DNS server.</summary>
    public UInt128 Gateway { get; init; }

    public UInt128? DhcpStart { get; init; }

    public UInt128? DhcpEnd { get; init; }

    /// <summary>Whether the element has a &lt;dhcp&gt; section (a range or static hosts).</summary>
    public bool HasDhcp => DhcpStart is not null || Hosts.Count > 0;

    public IReadOnlyList<NetworkHost> Hosts { get; init; } = Array.Empty<NetworkHost>();

    public string GatewayText => Subnet.Address(Gateway).ToString();

    public string? DhcpStartText => DhcpStart is UInt128 s ? Subnet.Address(s).ToString() : null;

    public string? DhcpEndText => DhcpEnd is UInt128 e ? Subnet.Address(e).ToString() : null;

    /// <summary>How many addresses the DHCP range holds (0 without a range).</summary>
    public UInt128 DhcpSize => DhcpStart is UInt128 s && DhcpEnd is UInt128 e && e >= s ? e - s + 1 : UInt128.Zero;
}

/// <summary>A static DHCP host: a MAC (IPv4) or DHCPv6 id bound to an address and/or a name.</summary>
public sealed record NetworkHost(string? Mac, string? Id, string? Ip, string? Name);

namespace KvmPS.Engine.Networks;

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

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

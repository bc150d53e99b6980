using KvmPS.Engine.Networks;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>The subnet and DHCP planner: derived addresses, every refusal, conflicts and convergence.</summary>
public class NetworkPlannerTests
{
    private static NetworkDefinition Plan(params string[] subnets) =>
        NetworkPlanner.Build(NetworkPlanner.Validate(new NetworkRequest { Name = "n", Subnets = subnets }));

    private static NetworkPlanException Refused(NetworkRequest r) =>
        Assert.Throws<NetworkPlanException>(() => NetworkPlanner.Validate(r));

    private static IpSubnet Cidr(string s) => IpSubnet.TryParse(s, out IpSubnet? x, out _) ? x.Value : throw new ArgumentException(s);

    [Fact]
    public void Classic_default_network_gets_gateway_1_and_dhcp_2_to_254()
    {
        NetworkDefinition d = Plan("192.168.122.0/24");
        Assert.Equal(KvmNetworkMode.Nat, d.Mode);
        Assert.Equal("nat", d.ForwardMode);
        NetworkIp ip = Assert.Single(d.Ips);
        Assert.Equal("192.168.122.0/24", ip.Subnet.ToString());
        Assert.Equal("192.168.122.1", ip.GatewayText);
        Assert.Equal("192.168.122.2", ip.DhcpStartText);
        Assert.Equal("192.168.122.254", ip.DhcpEndText);
        Assert.Equal((UInt128)253, ip.DhcpSize);
    }

    [Theory]
    [InlineData("fd31:4e::/64", "fd31:4e::1", "fd31:4e::2", "fd31:4e::ffff")]
    [InlineData("fd31:4e:1::/120", "fd31:4e:1::1", "fd31:4e:1::2", "fd31:4e:1::ff")]
    [InlineData("fd31:4e:2::/126", "fd31:4e:2::1", "fd31:4e:2::2", "fd31:4e:2::3")]
    [InlineData("10.231.0.0/30", "10.231.0.1", "10.231.0.2", "10.231.0.2")]
    [InlineData("10.231.0.0/16", "10.231.0.1", "10.231.0.2", "10.231.255.254")]
    // Larger than libvirt's 65,536-address block: the range stops at the block's end.
    [InlineData("10.230.0.0/15", "10.230.0.1", "10.230.0.2", "10.230.255.255")]
    [InlineData("10.0.0.0/8", "10.0.0.1", "10.0.0.2", "10.0.255.255")]
    public void Gateway_is_the_first_host_and_dhcp_the_rest_within_libvirts_block(string subnet, string gw, string start, string end)
    {
        NetworkIp ip = Assert.Single(Plan(subnet).Ips);
        Assert.Equal(gw, ip.GatewayText);
        Assert.Equal(start, ip.DhcpStartText);
        Assert.Equal(end, ip.DhcpEndText);
    }

    [Fact]
    public void Dual_stack_puts_ipv4_first()
    {
        NetworkDefinition d = Plan("fd31:4e::/64", "10.231.1.0/24");
        Assert.Equal(new[] { "10.231.1.0/24", "fd31:4e::/64" }, d.Ips.Select(i => i.Subnet.ToString()));
        Assert.Equal("10.231.1.1", d.IPv4!.GatewayText);
        Assert.Equal("fd31:4e::1", d.IPv6!.GatewayText);
    }

    [Fact]
    public void Given_range_ends_are_kept_and_the_other_end_defaults()
    {
        var plan = NetworkPlanner.Validate(new NetworkRequest
        {
            Name = "n", Subnets = new[] { "10.231.1.0/24", "fd31:4e::/64" },
            DhcpStarts = new[] { "10.231.1.100" }, DhcpEnds = new[] { "fd31:4e::1ff" },
        });
        NetworkDefinition d = NetworkPlanner.Build(plan);
        Assert.Equal("10.231.1.100", d.IPv4!.DhcpStartText);
        Assert.Equal("10.231.1.254", d.IPv4.DhcpEndText);
        Assert.Equal("fd31:4e::2", d.IPv6!.DhcpStartText);
        Assert.Equal("fd31:4e::1ff", d.IPv6.DhcpEndText);
    }

    [Fact]
    public void NoDhcp_leaves_only_the_gateway()
    {
        var d = NetworkPlanner.Build(NetworkPlanner.Validate(new NetworkRequest { Name = "n", Subnets = new[] { "10.231.1.0/24" }, NoDhcp = true }));
        NetworkIp ip = Assert.Single(d.Ips);
        Assert.Null(ip.DhcpStart);
        Assert.False(ip.HasDhcp);
        Assert.Equal("10.231.1.1", ip.GatewayText);
    }

    [Theory]
    [InlineData("10.231.1.1/24", "InvalidSubnet", "host bits set; the subnet is 10.231.1.0/24")]
    [InlineData("10.231.1.0", "InvalidSubnet", "CIDR")]
    [InlineData("10.231/16", "InvalidSubnet", "not an IPv4 or IPv6 address")]
    [InlineData("010.231.1.0/24", "InvalidSubnet", "not an IPv4 or IPv6 address")]
    [InlineData("300.1.1.0/24", "InvalidSubnet", "not an IPv4 or IPv6 address")]
    [InlineData("10.231.1.0/33", "InvalidSubnet", "prefix length from 0 to 32")]
    [InlineData("fd31::/129", "InvalidSubnet", "prefix length from 0 to 128")]
    [InlineData("10.231.1.0/x", "InvalidSubnet", "prefix length")]
    [InlineData("fe80::/64", "InvalidSubnet", "link-local")]
    [InlineData("169.254.0.0/16", "InvalidSubnet", "link-local")]
    [InlineData("127.0.0.0/8", "InvalidSubnet", "loopback")]
    [InlineData("224.1.0.0/16", "InvalidSubnet", "multicast")]
    [InlineData("0.0.0.0/0", "InvalidSubnet", "whole address space")]
    [InlineData("10.231.1.0/31", "SubnetTooSmall", "/30 at most")]
    [InlineData("10.231.1.0/32", "SubnetTooSmall", "/30 at most")]
    [InlineData("fd31::/127", "SubnetTooSmall", "/126 at most")]
    public void Bad_subnets_are_refused_with_a_reason(string subnet, string id, string reason)
    {
        var e = Refused(new NetworkRequest { Name = "n", Subnets = new[] { subnet } });
        Assert.Equal(id, e.ErrorId);
        Assert.Equal(KvmErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(reason, e.Message);
    }

    public static TheoryData<string, NetworkRequest, string> RefusedRequests => new()
    {
        { "two IPv4 subnets", new NetworkRequest { Subnets = new[] { "10.231.1.0/24", "10.231.2.0/24" } }, "TooManySubnets" },
        { "start outside", new NetworkRequest { Subnets = new[] { "10.231.1.0/24" }, DhcpStarts = new[] { "10.231.2.10" } }, "DhcpRangeOutsideSubnet" },
        { "end is broadcast", new NetworkRequest { Subnets = new[] { "10.231.1.0/24" }, DhcpEnds = new[] { "10.231.1.255" } }, "DhcpRangeOutsideSubnet" },
        { "start is gateway", new NetworkRequest { Subnets = new[] { "10.231.1.0/24" }, DhcpStarts = new[] { "10.231.1.1" } }, "DhcpRangeOutsideSubnet" },
        { "start after end", new NetworkRequest { Subnets = new[] { "10.231.1.0/24" }, DhcpStarts = new[] { "10.231.1.200" }, DhcpEnds = new[] { "10.231.1.100" } }, "InvalidDhcpRange" },
        { "range over two blocks", new NetworkRequest { Subnets = new[] { "10.230.0.0/15" }, DhcpStarts = new[] { "10.230.0.10" }, DhcpEnds = new[] { "10.231.0.10" } }, "DhcpRangeTooLarge" },
        { "malformed start", new NetworkRequest { Subnets = new[] { "10.231.1.0/24" }, DhcpStarts = new[] { "10.231.1" } }, "InvalidAddress" },
        { "two IPv4 starts", new NetworkRequest { Subnets = new[] { "10.231.1.0/24" }, DhcpStarts = new[] { "10.231.1.5", "10.231.1.6" } }, "TooManyDhcpAddresses" },
        { "IPv6 start, IPv4 subnet", new NetworkRequest { Subnets = new[] { "10.231.1.0/24" }, DhcpStarts = new[] { "fd31::5" } }, "DhcpRangeWithoutSubnet" },
        { "range without subnet", new NetworkRequest { DhcpStarts = new[] { "10.231.1.5" } }, "DhcpRangeWithoutSubnet" },
        { "NoDhcp with a range", new NetworkRequest { Subnets = new[] { "10.231.1.0/24" }, NoDhcp = true, DhcpEnds = new[] { "10.231.1.9" } }, "ConflictingDhcpParameters" },
        { "Bridge without host bridge", new NetworkRequest { Mode = KvmNetworkMode.Bridge }, "MissingHostBridge" },
        { "Bridge with subnet", new NetworkRequest { HostBridge = "br0", Subnets = new[] { "10.231.1.0/24" } }, "ParameterNotValidForMode" },
        { "Bridge with DNS domain", new NetworkRequest { HostBridge = "br0", DnsDomain = "lab.test" }, "ParameterNotValidForMode" },
        { "Bridge with other bridge name", new NetworkRequest { HostBridge = "br0", BridgeName = "br1" }, "ParameterNotValidForMode" },
        { "host bridge in Nat mode", new NetworkRequest { Mode = KvmNetworkMode.Nat, HostBridge = "br0" }, "ParameterNotValidForMode" },
        { "bridge name too long", new NetworkRequest { BridgeName = "a-very-long-bridge" }, "InvalidBridgeName" },
        { "bridge name with slash", new NetworkRequest { BridgeName = "br/0" }, "InvalidBridgeName" },
        { "bad DNS domain", new NetworkRequest { DnsDomain = "lab_.test" }, "InvalidDnsDomain" },
        { "mode Other", new NetworkRequest { Mode = KvmNetworkMode.Other }, "InvalidMode" },
    };

    [Theory]
    [MemberData(nameof(RefusedRequests))]
    public void Refused_requests_name_the_problem(string why, NetworkRequest request, string id)
    {
        var e = Refused(request with { Name = "n" });
        Assert.True(id == e.ErrorId, $"{why}: expected {id}, got {e.ErrorId} ({e.Message})");
        Assert.Equal(KvmErrorKind.InvalidArgument, e.Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("a/b")]
    [InlineData(" lead")]
    [InlineData("\tweb")]
    [InlineData("trail ")]
    public void Bad_names_are_refused(string name)
    {
        Assert.Equal("InvalidName", Refused(new NetworkRequest { Name = name }).ErrorId);
    }

    [Fact]
    public void Host_bridge_implies_bridge_mode_without_addresses()
    {
        var plan = NetworkPlanner.Validate(new NetworkRequest { Name = "n", HostBridge = "br0" });
        Assert.Equal(KvmNetworkMode.Bridge, plan.Mode);
        Assert.False(plan.NeedsSubnet);
        NetworkDefinition d = NetworkPlanner.Build(plan);
        Assert.Equal("br0", d.BridgeName);
        Assert.Empty(d.Ips);
    }

    [Fact]
    public void Nat_route_and_open_without_subnet_need_one_picked_isolated_does_not()
    {
        foreach (var mode in new[] { KvmNetworkMode.Nat, KvmNetworkMode.Route, KvmNetworkMode.Open })
        {
            Assert.True(NetworkPlanner.Validate(new NetworkRequest { Name = "n", Mode = mode }).NeedsSubnet);
        }
        var iso = NetworkPlanner.Validate(new NetworkRequest { Name = "n", Mode = KvmNetworkMode.Isolated });
        Assert.False(iso.NeedsSubnet);
        Assert.Empty(NetworkPlanner.Build(iso).Ips);
        Assert.Equal("", NetworkPlanner.Build(iso).ForwardMode);
    }

    [Fact]
    public void Picks_the_first_free_192_168_x_0_24()
    {
        Assert.Equal("192.168.122.0/24", NetworkPlanner.PickFreeSubnet(Array.Empty<IpSubnet>()).ToString());
        Assert.Equal("192.168.124.0/24", NetworkPlanner.PickFreeSubnet(new[] { Cidr("192.168.122.0/24"), Cidr("192.168.123.128/25"), Cidr("fd31::/64") }).ToString());
        Assert.Null(NetworkPlanner.PickFreeSubnet(new[] { Cidr("192.168.0.0/16") }));
        var plan = NetworkPlanner.Validate(new NetworkRequest { Name = "n" });
        Assert.Equal("192.168.125.1", NetworkPlanner.Build(plan, Cidr("192.168.125.0/24")).IPv4!.GatewayText);
    }

    [Fact]
    public void Overlap_with_another_network_is_refused_but_neighbours_and_itself_are_not()
    {
        var others = new[]
        {
            new ExistingNetwork("default", "virbr0", new[] { Cidr("192.168.122.0/24") }),
            new ExistingNetwork("v6", "virbr1", new[] { Cidr("fd31:4e::/48") }),
            new ExistingNetwork("n", "virbr9", new[] { Cidr("10.231.1.0/24") }),
        };
        var e = Assert.Throws<NetworkPlanException>(() => NetworkPlanner.CheckConflicts(Plan("192.168.122.128/25"), others, Array.Empty<HostRoute>()));
        Assert.Equal("SubnetOverlapsNetwork", e.ErrorId);
        Assert.Equal(KvmErrorKind.AlreadyExists, e.Kind);
        Assert.Contains("'default'", e.Message);
        Assert.Equal("SubnetOverlapsNetwork", Assert.Throws<NetworkPlanException>(() =>
            NetworkPlanner.CheckConflicts(Plan("10.231.2.0/24", "fd31:4e:0:7::/64"), others, Array.Empty<HostRoute>())).ErrorId);
        Assert.Equal("SubnetOverlapsNetwork", Assert.Throws<NetworkPlanException>(() =>
            NetworkPlanner.CheckConflicts(Plan("192.168.0.0/16"), others, Array.Empty<HostRoute>())).ErrorId);
        // Adjacent subnets and the network's own name do not count.
        NetworkPlanner.CheckConflicts(Plan("192.168.123.0/24", "fd31:4f::/64"), others, Array.Empty<HostRoute>());
        NetworkPlanner.CheckConflicts(Plan("10.231.1.0/24"), others, Array.Empty<HostRoute>());
    }

    [Fact]
    public void Bridge_name_of_another_network_is_refused()
    {
        var others = new[] { new ExistingNetwork("default", "virbr0", Array.Empty<IpSubnet>()) };
        var def = NetworkPlanner.Build(NetworkPlanner.Validate(new NetworkRequest { Name = "n", BridgeName = "virbr0", Subnets = new[] { "10.231.1.0/24" } }));
        Assert.Equal("BridgeNameInUse", Assert.Throws<NetworkPlanException>(() => NetworkPlanner.CheckConflicts(def, others, Array.Empty<HostRoute>())).ErrorId);
        // Bridge mode shares a host bridge on purpose.
        var bridged = NetworkPlanner.Build(NetworkPlanner.Validate(new NetworkRequest { Name = "n", HostBridge = "virbr0" }));
        NetworkPlanner.CheckConflicts(bridged, others, Array.Empty<HostRoute>());
    }

    [Fact]
    public void Overlap_with_a_host_route_is_refused()
    {
        var routes = new[] { new HostRoute(Cidr("10.231.250.0/24"), "kt4n0"), new HostRoute(Cidr("fd31:4e:fa::/64"), "kt4n0") };
        var e = Assert.Throws<NetworkPlanException>(() => NetworkPlanner.CheckConflicts(Plan("10.231.250.0/25"), Array.Empty<ExistingNetwork>(), routes));
        Assert.Equal("SubnetOverlapsHostRoute", e.ErrorId);
        Assert.Contains("kt4n0", e.Message);
        Assert.Equal("SubnetOverlapsHostRoute", Assert.Throws<NetworkPlanException>(() =>
            NetworkPlanner.CheckConflicts(Plan("fd31:4e:fa::/64"), Array.Empty<ExistingNetwork>(), routes)).ErrorId);
        NetworkPlanner.CheckConflicts(Plan("10.231.251.0/24"), Array.Empty<ExistingNetwork>(), routes);
    }

    [Fact]
    public void Same_request_on_same_network_has_no_differences()
    {
        NetworkDefinition want = Plan("10.231.1.0/24");
        NetworkDefinition have = want with { Uuid = Guid.NewGuid(), BridgeName = "virbr3" };
        Assert.Empty(NetworkPlanner.Differences(want, have, compareBridgeName: false));
        // Reservations added later do not make it a different network.
        var withHost = have with { Ips = new[] { have.Ips[0] with { Hosts = new[] { new NetworkHost("52:54:00:00:00:01", null, "10.231.1.9", null) } } } };
        Assert.Empty(NetworkPlanner.Differences(want, withHost, compareBridgeName: false));
    }

    [Fact]
    public void Differences_say_what_differs()
    {
        NetworkDefinition have = Plan("10.231.1.0/24") with { BridgeName = "virbr3" };
        Assert.Contains("Subnet is 10.231.1.0/24 (requested 10.231.2.0/24)", NetworkPlanner.Differences(Plan("10.231.2.0/24"), have, false));
        var narrower = NetworkPlanner.Build(NetworkPlanner.Validate(new NetworkRequest { Name = "n", Subnets = new[] { "10.231.1.0/24" }, DhcpStarts = new[] { "10.231.1.100" } }));
        Assert.Contains("DhcpStart is 10.231.1.2 (requested 10.231.1.100)", NetworkPlanner.Differences(narrower, have, false));
        var routed = Plan("10.231.1.0/24") with { Mode = KvmNetworkMode.Route };
        Assert.Contains("Mode is Nat (requested Route)", NetworkPlanner.Differences(routed, have, false));
        var named = Plan("10.231.1.0/24") with { BridgeName = "kt4nbr" };
        Assert.Empty(NetworkPlanner.Differences(named, have, compareBridgeName: false));
        Assert.Contains("BridgeName is virbr3 (requested kt4nbr)", NetworkPlanner.Differences(named, have, compareBridgeName: true));
        Assert.Contains("Subnet6 is (none) (requested fd31::/64)", NetworkPlanner.Differences(Plan("10.231.1.0/24", "fd31::/64"), have, false));
    }

    [Theory]
    [InlineData("lab.test", true)]
    [InlineData("example", true)]
    [InlineData("a-b.c1.", true)]
    [InlineData("-a.test", false)]
    [InlineData("a..b", false)]
    [InlineData("under_score", false)]
    public void Dns_names(string name, bool valid) => Assert.Equal(valid, NetworkPlanner.IsDnsName(name));
}

using KvmPS.Engine.Networks;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>Checks and address choice for static DHCP hosts.</summary>
public class NetworkReservationTests
{
    private static NetworkIp Lab(string subnet = "10.231.1.0/24", params string[] extra)
    {
        var req = new NetworkRequest { Name = "lab", Subnets = new[] { subnet } };
        if (extra.Length == 2)
        {
            req = req with { DhcpStarts = new[] { extra[0] }, DhcpEnds = new[] { extra[1] } };
        }
        return NetworkPlanner.Build(NetworkPlanner.Validate(req)).IPv4!;
    }

    [Theory]
    [InlineData("52:54:00:AB:CD:EF", "52:54:00:ab:cd:ef")]
    [InlineData("52-54-00-ab-cd-ef", "52:54:00:ab:cd:ef")]
    [InlineData(" 52:54:00:00:00:01 ", "52:54:00:00:00:01")]
    public void Macs_are_normalized(string mac, string expected) => Assert.Equal(expected, ReservationPlanner.NormalizeMac(mac));

    [Theory]
    [InlineData("52:54:00:zz:00:01")]
    [InlineData("52:54:00:00:01")]
    [InlineData("5254000000")]
    [InlineData("01:00:5e:00:00:01")]
    public void Bad_or_multicast_macs_are_refused(string mac) =>
        Assert.Equal("InvalidMacAddress", Assert.Throws<NetworkPlanException>(() => ReservationPlanner.NormalizeMac(mac)).ErrorId);

    [Theory]
    [InlineData("10.231.1.50", null)]
    [InlineData("10.231.1.254", null)]
    [InlineData("10.231.2.50", "AddressOutsideSubnet")]
    [InlineData("10.231.1.0", "AddressOutsideSubnet")]
    [InlineData("10.231.1.255", "AddressOutsideSubnet")]
    [InlineData("10.231.1.1", "AddressOutsideSubnet")]
    [InlineData("10.231.1", "InvalidAddress")]
    [InlineData("fd31::5", "IPv6ReservationNotSupported")]
    public void Addresses_must_be_guest_addresses_of_the_subnet(string ip, string? error)
    {
        if (error is null)
        {
            Assert.Equal(ip, ReservationPlanner.CheckAddress(Lab(), ip));
        }
        else
        {
            var e = Assert.Throws<NetworkPlanException>(() => ReservationPlanner.CheckAddress(Lab(), ip));
            Assert.Equal(error, e.ErrorId);
            Assert.Equal(KvmErrorKind.InvalidArgument, e.Kind);
        }
    }

    [Fact]
    public void Outside_message_names_the_usable_range()
    {
        var e = Assert.Throws<NetworkPlanException>(() => ReservationPlanner.CheckAddress(Lab(), "10.231.2.50"));
        Assert.Contains("use 10.231.1.2 to 10.231.1.254", e.Message);
    }

    [Fact]
    public void A_network_without_ipv4_dhcp_cannot_take_reservations()
    {
        var bridged = NetworkPlanner.Build(NetworkPlanner.Validate(new NetworkRequest { Name = "b", HostBridge = "br0" }));
        Assert.Equal("NoIPv4Subnet", Assert.Throws<NetworkPlanException>(() => ReservationPlanner.TargetIp(bridged)).ErrorId);
        var noDhcp = NetworkPlanner.Build(NetworkPlanner.Validate(new NetworkRequest { Name = "s", Subnets = new[] { "10.231.1.0/24" }, NoDhcp = true }));
        var e = Assert.Throws<NetworkPlanException>(() => ReservationPlanner.TargetIp(noDhcp));
        Assert.Equal("DhcpDisabled", e.ErrorId);
        Assert.Equal(KvmErrorKind.InvalidOperation, e.Kind);
    }

    [Fact]
    public void Picks_the_macs_own_lease_first()
    {
        var leases = new (string?, string)[] { ("52:54:00:00:00:09", "10.231.1.77"), ("52:54:00:00:00:01", "10.231.1.40") };
        Assert.Equal("10.231.1.40", ReservationPlanner.PickAddress(Lab(), "52:54:00:00:00:01", Array.Empty<NetworkHost>(), leases));
    }

    [Fact]
    public void Otherwise_the_lowest_free_address_of_the_range()
    {
        var reserved = new[] { new NetworkHost("52:54:00:00:00:02", null, "10.231.1.100", null) };
        var leases = new (string?, string)[] { ("52:54:00:00:00:03", "10.231.1.101") };
        Assert.Equal("10.231.1.102", ReservationPlanner.PickAddress(Lab("10.231.1.0/24", "10.231.1.100", "10.231.1.200"), "52:54:00:00:00:01", reserved, leases));
        Assert.Equal("10.231.1.2", ReservationPlanner.PickAddress(Lab(), "52:54:00:00:00:01", Array.Empty<NetworkHost>(), Array.Empty<(string?, string)>()));
    }

    [Fact]
    public void A_lease_on_an_address_reserved_for_another_mac_is_not_taken()
    {
        var reserved = new[] { new NetworkHost("52:54:00:00:00:02", null, "10.231.1.40", null) };
        var leases = new (string?, string)[] { ("52:54:00:00:00:01", "10.231.1.40") };
        Assert.Equal("10.231.1.2", ReservationPlanner.PickAddress(Lab(), "52:54:00:00:00:01", reserved, leases));
    }

    [Fact]
    public void A_full_range_falls_back_to_the_subnet_then_gives_up()
    {
        NetworkIp small = Lab("10.231.1.0/30");
        var reserved = new[] { new NetworkHost("52:54:00:00:00:02", null, "10.231.1.2", null) };
        Assert.Null(ReservationPlanner.PickAddress(small, "52:54:00:00:00:01", reserved, Array.Empty<(string?, string)>()));
        NetworkIp narrow = Lab("10.231.1.0/29", "10.231.1.2", "10.231.1.3");
        var two = new[] { new NetworkHost("a", null, "10.231.1.2", null), new NetworkHost("b", null, "10.231.1.3", null) };
        Assert.Equal("10.231.1.4", ReservationPlanner.PickAddress(narrow, "52:54:00:00:00:01", two, Array.Empty<(string?, string)>()));
    }
}

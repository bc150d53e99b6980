using KvmPS.Engine.Networks;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>The network engine against libvirt's in-process test driver (real libvirt, no daemon).</summary>
public class NetworkServiceTests
{
    private static NetworkDefinition Plan(string name, params string[] subnets) =>
        NetworkPlanner.Build(NetworkPlanner.Validate(new NetworkRequest { Name = name, Subnets = subnets }));

    [Fact]
    public void Lists_the_test_drivers_default_network()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        var all = NetworkService.ListAll(conn);
        var d = Assert.Single(all);
        Assert.True(d.Active);
        Assert.True(d.Persistent);
        KvmNetwork o = d.ToObject(conn.Uri);
        Assert.Equal("default", o.Name);
        Assert.Equal(KvmNetworkMode.Nat, o.Mode);
        Assert.Equal("virbr0", o.BridgeName);
        Assert.Equal("192.168.122.0/24", o.Subnet);
        Assert.Equal("192.168.122.2", o.DhcpStart);
        Assert.Equal("192.168.122.254", o.DhcpEnd);
    }

    [Fact]
    public void Defines_starts_updates_and_undefines()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        using var h = NetworkService.Define(conn, NetworkXml.Build(Plan("kvmps-t4n-x", "10.231.1.0/24", "fd31:4e::/64")).ToString());
        var s = NetworkService.Read(h);
        Assert.False(s.Active);
        Assert.Equal("10.231.1.1", s.Live.IPv4!.GatewayText);
        Assert.Equal("fd31:4e::ffff", s.Live.IPv6!.DhcpEndText);
        Assert.NotNull(s.Live.Uuid);

        NetworkService.SetAutostart(h, true);
        NetworkService.Start(h);
        Assert.True(NetworkService.IsActive(h));
        Assert.True(NetworkService.GetAutostart(h));

        var host = new NetworkHost("52:54:00:31:00:01", null, "10.231.1.50", "g1");
        NetworkService.UpdateDhcpHost(h, add: true, host, parentIndex: 0, live: true, config: true);
        Assert.Equal(host, Assert.Single(NetworkService.Read(h).Live.IPv4!.Hosts));
        NetworkService.UpdateDhcpHost(h, add: false, host, parentIndex: 0, live: true, config: true);
        Assert.Empty(NetworkService.Read(h).Live.IPv4!.Hosts);

        NetworkService.Stop(h);
        NetworkService.Undefine(h);
        Assert.Null(NetworkService.TryLookup(conn, "kvmps-t4n-x"));
    }

    [Fact]
    public void A_bad_document_is_libvirts_invalid_argument()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        var e = Assert.Throws<LibvirtException>(() => NetworkService.Define(conn, "<network><name>kvmps-t4n-bad</name><ip address='10.231.1.1' prefix='24'><dhcp><range start='10.231.2.2' end='10.231.2.9'/></dhcp></ip></network>"));
        Assert.NotEqual(LibvirtErrorCode.Ok, e.Code);
        Assert.Null(NetworkService.TryLookup(conn, "kvmps-t4n-bad"));
    }

    [Fact]
    public void Leases_are_not_supported_by_the_test_driver()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        Assert.True(NetworkService.LeasesSupported);
        using var h = conn.LookupNetwork("default");
        var e = Assert.Throws<LibvirtException>(() => NetworkService.GetLeases(h, "default", null, conn.Uri));
        Assert.Equal(KvmErrorKind.NotSupported, e.Kind);
    }
}

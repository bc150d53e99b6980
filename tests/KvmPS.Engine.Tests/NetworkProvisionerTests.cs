using System.Xml.Linq;
using KvmPS.Engine.HostChecks;
using KvmPS.Engine.Networks;
using Xunit;

namespace KvmPS.Engine.Tests;

// The network provisioner against libvirt's test driver, on a private host per test with one
// network (lab, 10.231.40.0/24 on virbr40). Route checks read the daemon-view fixture, whose
// network driver has routes to 10.231.1.0/24, 10.231.250.0/24, 192.168.0.0/16 and fd31:4e:fa::/64.
public sealed class NetworkProvisionerTests : IDisposable
{
    private readonly string _hostFile;

    public NetworkProvisionerTests()
    {
        var node = XElement.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "testdriver", "empty-host.xml")));
        node.Add(XElement.Parse("<network><name>lab</name><bridge name='virbr40'/><forward mode='nat'/>"
            + "<ip address='10.231.40.1' netmask='255.255.255.0'><dhcp><range start='10.231.40.2' end='10.231.40.254'/></dhcp></ip></network>"));
        _hostFile = Path.Combine(Path.GetTempPath(), $"kvmps-networks-{Guid.NewGuid():N}.xml");
        File.WriteAllText(_hostFile, node.ToString());
    }

    public void Dispose() => File.Delete(_hostFile);

    private LibvirtConnection Open() => LibvirtConnection.Open("test://" + _hostFile);

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "network", name);

    /// <summary>A provisioner that checks the test driver against the daemon-view fixture's routes, as if it were local.</summary>
    private static NetworkProvisioner WithDaemonRoutes() => new(new HostFileSystem(Fixture("daemon-view")), _ => true);

    /// <summary>A provisioner that sees the test driver as it is: not a local daemon, so no routes.</summary>
    private static NetworkProvisioner WithoutRoutes() => new(new HostFileSystem(Fixture("daemon-view")));

    private static NetworkPlanner.Plan Valid(string name, params string[] subnets) =>
        NetworkPlanner.Validate(new NetworkRequest { Name = name, Subnets = subnets });

    private static NetworkPlanException Refused(NetworkProvisioner p, LibvirtConnection conn, NetworkPlanner.Plan plan) =>
        Assert.Throws<NetworkPlanException>(() => p.Plan(conn, plan, autostart: false, start: false).Dispose());

    [Fact]
    public void A_subnet_that_overlaps_another_network_is_refused_and_nothing_is_defined()
    {
        using var conn = Open();
        var e = Refused(WithoutRoutes(), conn, Valid("kvmps-t4n-p1", "10.231.40.128/25"));
        Assert.Equal("SubnetOverlapsNetwork", e.ErrorId);
        Assert.Equal(KvmErrorKind.AlreadyExists, e.Kind);
        Assert.Contains("network 'lab'", e.Message);
        Assert.Null(NetworkService.TryLookup(conn, "kvmps-t4n-p1"));
    }

    [Fact]
    public void A_bridge_name_another_network_uses_is_refused()
    {
        using var conn = Open();
        var plan = NetworkPlanner.Validate(new NetworkRequest { Name = "kvmps-t4n-p2", Subnets = new[] { "10.231.41.0/24" }, BridgeName = "virbr40" });
        Assert.Equal("BridgeNameInUse", Refused(WithoutRoutes(), conn, plan).ErrorId);
    }

    [Fact]
    public void A_subnet_the_daemon_has_a_route_to_is_refused()
    {
        using var conn = Open();
        var e = Refused(WithDaemonRoutes(), conn, Valid("kvmps-t4n-p3", "10.231.250.0/25"));
        Assert.Equal("SubnetOverlapsHostRoute", e.ErrorId);
        Assert.Contains("interface 'kt4n0'", e.Message);
        Assert.Equal("SubnetOverlapsHostRoute", Refused(WithDaemonRoutes(), conn, Valid("kvmps-t4n-p3", "fd31:4e:fa::/64")).ErrorId);
        // Not a local daemon: its routes are not this host's, and the same subnet is fine.
        var log = new List<string>();
        using NetworkProvision ok = WithoutRoutes().Plan(conn, Valid("kvmps-t4n-p3", "10.231.250.0/25"), false, false, log.Add);
        Assert.False(ok.Exists);
        Assert.Contains(log, l => l.Contains("is not a local daemon"));
    }

    [Fact]
    public void Without_a_subnet_the_first_free_one_is_picked_around_routes_and_networks()
    {
        using var conn = Open();
        var log = new List<string>();
        using NetworkProvision p = WithoutRoutes().Plan(conn, Valid("kvmps-t4n-p4"), false, false, log.Add);
        Assert.Equal("192.168.122.0/24", p.Definition.IPv4!.Subnet.ToString());
        Assert.Contains("No -Subnet given: using 192.168.122.0/24, the first free 192.168.x.0/24.", log);
        // The daemon's route to 192.168.0.0/16 covers every candidate.
        var e = Refused(WithDaemonRoutes(), conn, Valid("kvmps-t4n-p4"));
        Assert.Equal("NoFreeSubnet", e.ErrorId);
        Assert.Equal(KvmErrorKind.InvalidOperation, e.Kind);
    }

    [Fact]
    public void A_bridge_network_on_a_missing_or_non_bridge_interface_is_planned_with_a_warning()
    {
        using var conn = Open();
        foreach (var (bridge, expected) in new[] { ("br9", "does not exist"), ("eth1", "is not a bridge") })
        {
            var warnings = new List<string>();
            using var p = WithDaemonRoutes().Plan(conn, NetworkPlanner.Validate(new NetworkRequest { Name = "kvmps-t4n-b", HostBridge = bridge }), false, false, warn: warnings.Add);
            Assert.Contains(expected, Assert.Single(warnings));
        }
        var none = new List<string>();
        using var good = WithDaemonRoutes().Plan(conn, NetworkPlanner.Validate(new NetworkRequest { Name = "kvmps-t4n-b", HostBridge = "br0" }), false, false, warn: none.Add);
        Assert.Empty(none);
    }

    [Fact]
    public void A_name_that_exists_with_a_different_definition_is_refused()
    {
        using var conn = Open();
        var e = Refused(WithoutRoutes(), conn, Valid("lab", "10.231.42.0/24"));
        Assert.Equal("NetworkExists", e.ErrorId);
        Assert.Equal(KvmErrorKind.AlreadyExists, e.Kind);
        Assert.Contains("Subnet is 10.231.40.0/24 (requested 10.231.42.0/24)", e.Message);
        var routed = NetworkPlanner.Validate(new NetworkRequest { Name = "lab", Mode = KvmNetworkMode.Route, Subnets = new[] { "10.231.40.0/24" } });
        Assert.Contains("Mode is Nat (requested Route)", Refused(WithoutRoutes(), conn, routed).Message);
    }

    [Fact]
    public void The_same_request_twice_defines_once_and_then_changes_nothing()
    {
        using var conn = Open();
        var asked = new List<string>();
        var valid = Valid("kvmps-t4n-c", "10.231.43.0/24");
        using (NetworkProvision first = WithoutRoutes().Plan(conn, valid, autostart: true, start: true))
        {
            Assert.False(first.Exists);
            Assert.Contains("<name>kvmps-t4n-c</name>", first.Xml);
            Assert.True(NetworkProvisioner.Apply(conn, first, a => { asked.Add(a); return true; }));
        }
        Assert.Equal(new[] { "Define Nat network 10.231.43.0/24 (gateway 10.231.43.1, DHCP 10.231.43.2-10.231.43.254)" }, asked);
        using var h = conn.LookupNetwork("kvmps-t4n-c");
        string xml = NetworkService.GetXml(h);
        Assert.True(NetworkService.IsActive(h));
        Assert.True(NetworkService.GetAutostart(h));

        asked.Clear();
        var log = new List<string>();
        using (NetworkProvision again = WithoutRoutes().Plan(conn, valid, autostart: true, start: true, log.Add))
        {
            Assert.True(again.Exists);
            Assert.False(again.SetsAutostart);
            Assert.False(again.Starts);
            Assert.Null(again.Xml);
            Assert.True(NetworkProvisioner.Apply(conn, again, a => { asked.Add(a); return true; }));
        }
        Assert.Empty(asked);
        Assert.Contains(log, l => l.StartsWith("Network 'kvmps-t4n-c' already exists as requested", StringComparison.Ordinal));
        Assert.Equal(xml, NetworkService.GetXml(h));
    }

    [Fact]
    public void An_existing_network_converges_on_the_state_asked_for_and_a_request_without_subnet_adopts_its_subnet()
    {
        using var conn = Open();
        using (var h = conn.LookupNetwork("lab"))
        {
            NetworkService.Stop(h);
        }
        var asked = new List<string>();
        // No subnet given: the one lab has is the one it would have got.
        var valid = NetworkPlanner.Validate(new NetworkRequest { Name = "lab" });
        using NetworkProvision p = WithDaemonRoutes().Plan(conn, valid, autostart: true, start: true);
        Assert.True(p.Exists);
        Assert.True(NetworkProvisioner.Apply(conn, p, a => { asked.Add(a); return a == "Start network"; }));
        Assert.Equal(new[] { "Set autostart on", "Start network" }, asked);
        Assert.True(NetworkService.IsActive(p.Handle!));
        Assert.False(NetworkService.GetAutostart(p.Handle!));
    }

    [Fact]
    public void A_declined_definition_defines_nothing()
    {
        using var conn = Open();
        using NetworkProvision p = WithoutRoutes().Plan(conn, Valid("kvmps-t4n-d", "10.231.44.0/24"), false, true);
        Assert.False(NetworkProvisioner.Apply(conn, p, _ => false));
        Assert.Null(p.Handle);
        Assert.Null(NetworkService.TryLookup(conn, "kvmps-t4n-d"));
    }

    [Theory]
    [InlineData("test:///default", false)]
    [InlineData("qemu:///system", true)]
    [InlineData("qemu+ssh://root@host/system", false)]
    public void Only_a_local_daemon_has_routes_worth_checking(string uri, bool local)
    {
        Assert.Equal(local, NetworkProvisioner.IsLocalDaemon(uri));
    }
}

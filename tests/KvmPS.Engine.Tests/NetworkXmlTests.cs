using System.Xml.Linq;
using CliWrap;
using CliWrap.Buffered;
using KvmPS.Engine.Networks;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>The network XML builder and parser.</summary>
public class NetworkXmlTests
{
    private static NetworkDefinition Plan(NetworkRequest r) => NetworkPlanner.Build(NetworkPlanner.Validate(r with { Name = r.Name.Length == 0 ? "lab" : r.Name }));

    public static TheoryData<string, NetworkRequest> Requests => new()
    {
        { "nat", new NetworkRequest { Subnets = new[] { "192.168.122.0/24" } } },
        { "nat dual stack, dns", new NetworkRequest { Subnets = new[] { "10.231.1.0/24", "fd31:4e::/64" }, DnsDomain = "lab.test", BridgeName = "kt4nbr0" } },
        { "route no dhcp", new NetworkRequest { Mode = KvmNetworkMode.Route, Subnets = new[] { "10.231.2.0/24" }, NoDhcp = true } },
        { "open", new NetworkRequest { Mode = KvmNetworkMode.Open, Subnets = new[] { "10.231.3.0/24" } } },
        { "isolated bare", new NetworkRequest { Mode = KvmNetworkMode.Isolated } },
        { "isolated ipv6", new NetworkRequest { Mode = KvmNetworkMode.Isolated, Subnets = new[] { "fd31:4e:1::/120" } } },
        { "bridge", new NetworkRequest { HostBridge = "br0" } },
    };

    [Fact]
    public void Classic_nat_network_xml()
    {
        XElement x = NetworkXml.Build(Plan(new NetworkRequest { Subnets = new[] { "192.168.122.0/24" } }));
        string expected =
            "<network><name>lab</name><forward mode=\"nat\" /><bridge stp=\"on\" delay=\"0\" />"
            + "<ip address=\"192.168.122.1\" prefix=\"24\"><dhcp><range start=\"192.168.122.2\" end=\"192.168.122.254\" /></dhcp></ip></network>";
        Assert.Equal(expected, x.ToString(SaveOptions.DisableFormatting));
    }

    [Fact]
    public void Dual_stack_with_domain_and_bridge_name()
    {
        XElement x = NetworkXml.Build(Plan(new NetworkRequest { Subnets = new[] { "10.231.1.0/24", "fd31:4e::/64" }, DnsDomain = "Lab.Test", BridgeName = "kt4nbr0" }));
        Assert.Equal("kt4nbr0", (string?)x.Element("bridge")!.Attribute("name"));
        Assert.Equal("lab.test", (string?)x.Element("domain")!.Attribute("name"));
        Assert.Equal("yes", (string?)x.Element("domain")!.Attribute("localOnly"));
        XElement v6 = x.Elements("ip").Last();
        Assert.Equal("ipv6", (string?)v6.Attribute("family"));
        Assert.Equal("fd31:4e::1", (string?)v6.Attribute("address"));
        Assert.Equal("64", (string?)v6.Attribute("prefix"));
        Assert.Equal("fd31:4e::ffff", (string?)v6.Element("dhcp")!.Element("range")!.Attribute("end"));
    }

    [Fact]
    public void Bridge_mode_names_the_host_bridge_without_stp()
    {
        XElement x = NetworkXml.Build(Plan(new NetworkRequest { HostBridge = "br0" }));
        Assert.Equal("bridge", (string?)x.Element("forward")!.Attribute("mode"));
        Assert.Equal("br0", (string?)x.Element("bridge")!.Attribute("name"));
        Assert.Null(x.Element("bridge")!.Attribute("stp"));
        Assert.Empty(x.Elements("ip"));
    }

    [Fact]
    public void Isolated_has_no_forward_element()
    {
        XElement x = NetworkXml.Build(Plan(new NetworkRequest { Mode = KvmNetworkMode.Isolated, Subnets = new[] { "10.231.4.0/24" } }));
        Assert.Null(x.Element("forward"));
        Assert.NotNull(x.Element("ip"));
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public void What_is_built_parses_back_to_the_same_network(string why, NetworkRequest r)
    {
        NetworkDefinition def = Plan(r);
        NetworkDefinition back = NetworkXml.Parse(NetworkXml.Build(def).ToString());
        Assert.True(NetworkPlanner.Differences(def, back, compareBridgeName: true).Count == 0,
            why + ": " + string.Join("; ", NetworkPlanner.Differences(def, back, true)));
        Assert.Equal(def.Mode, back.Mode);
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Every_built_xml_passes_libvirts_schema(string why, NetworkRequest r)
    {
        if (!File.Exists("/usr/bin/virt-xml-validate"))
        {
            return; // the tool ships with libvirt-clients; the system tier checks the defined XML too
        }
        string file = Path.Combine(Path.GetTempPath(), $"kvmps-t4n-{Guid.NewGuid():N}.xml");
        try
        {
            await File.WriteAllTextAsync(file, NetworkXml.Build(Plan(r)).ToString());
            BufferedCommandResult res = await Cli.Wrap("virt-xml-validate").WithArguments(new[] { file, "network" })
                .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
            Assert.True(res.ExitCode == 0, $"{why}: {res.StandardOutput}{res.StandardError}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Parses_libvirts_own_default_network()
    {
        const string xml = """
            <network connections='1'>
              <name>default</name>
              <uuid>dd8fe884-6c02-601e-7551-cca97df1c5df</uuid>
              <forward mode='nat'><nat><port start='1024' end='65535'/></nat></forward>
              <bridge name='virbr0' stp='on' delay='0'/>
              <mac address='52:54:00:0a:cd:21'/>
              <ip address='192.168.122.1' netmask='255.255.255.0'>
                <dhcp>
                  <range start='192.168.122.2' end='192.168.122.254'/>
                  <host mac='52:54:00:AA:00:01' name='web1' ip='192.168.122.10'/>
                </dhcp>
              </ip>
            </network>
            """;
        NetworkDefinition d = NetworkXml.Parse(xml);
        Assert.Equal("default", d.Name);
        Assert.Equal(Guid.Parse("dd8fe884-6c02-601e-7551-cca97df1c5df"), d.Uuid);
        Assert.Equal(KvmNetworkMode.Nat, d.Mode);
        Assert.Equal("virbr0", d.BridgeName);
        Assert.Equal("192.168.122.0/24", d.IPv4!.Subnet.ToString());
        Assert.Equal("192.168.122.1", d.IPv4.GatewayText);
        Assert.Equal("192.168.122.2", d.IPv4.DhcpStartText);
        Assert.Equal("192.168.122.254", d.IPv4.DhcpEndText);
        NetworkHost h = Assert.Single(d.IPv4.Hosts);
        Assert.Equal(new NetworkHost("52:54:00:aa:00:01", null, "192.168.122.10", "web1"), h);

        KvmNetwork o = NetworkXml.ToObject(d, active: true, autostart: false, persistent: true, uri: "test:///default");
        Assert.Equal("192.168.122.0/24", o.Subnet);
        Assert.Null(o.Subnet6);
        Assert.Null(o.HostBridge);
        Assert.Equal("default", Assert.Single(o.Reservations).Network);
        Assert.Equal("test:///default", o.Uri);
    }

    [Theory]
    [InlineData("<forward/>", "<bridge name='virbr5'/>", KvmNetworkMode.Nat, "nat")]
    [InlineData("<forward mode='route'/>", "<bridge name='virbr5'/>", KvmNetworkMode.Route, "route")]
    [InlineData("<forward mode='open'/>", "<bridge name='virbr5'/>", KvmNetworkMode.Open, "open")]
    [InlineData("", "<bridge name='virbr5'/>", KvmNetworkMode.Isolated, "")]
    [InlineData("<forward mode='bridge'/>", "<bridge name='br0'/>", KvmNetworkMode.Bridge, "bridge")]
    [InlineData("<forward mode='bridge'><interface dev='eth0'/></forward>", "", KvmNetworkMode.Other, "bridge")]
    [InlineData("<forward mode='private' dev='eth0'/>", "", KvmNetworkMode.Other, "private")]
    [InlineData("<forward mode='hostdev' managed='yes'/>", "", KvmNetworkMode.Other, "hostdev")]
    public void Forward_modes_map(string forward, string bridge, KvmNetworkMode mode, string raw)
    {
        NetworkDefinition d = NetworkXml.Parse($"<network><name>x</name>{forward}{bridge}</network>");
        Assert.Equal(mode, d.Mode);
        Assert.Equal(raw, d.ForwardMode);
    }

    [Fact]
    public void Prefix_comes_from_prefix_netmask_or_libvirts_defaults()
    {
        Assert.Equal("10.231.0.0/16", NetworkXml.Parse("<network><name>x</name><ip address='10.231.0.1' netmask='255.255.0.0'/></network>").IPv4!.Subnet.ToString());
        Assert.Equal("10.0.0.0/8", NetworkXml.Parse("<network><name>x</name><ip address='10.231.0.1'/></network>").IPv4!.Subnet.ToString());
        Assert.Equal("192.168.5.0/24", NetworkXml.Parse("<network><name>x</name><ip address='192.168.5.1'/></network>").IPv4!.Subnet.ToString());
        NetworkDefinition v6 = NetworkXml.Parse("<network><name>x</name><ip family='ipv6' address='fd31:4e::1'/></network>");
        Assert.Null(v6.IPv4);
        Assert.Equal("fd31:4e::/64", v6.IPv6!.Subnet.ToString());
    }

    [Fact]
    public void Ipv6_hosts_keep_their_client_id()
    {
        NetworkDefinition d = NetworkXml.Parse("""
            <network><name>x</name>
              <ip family='ipv6' address='fd31:4e::1' prefix='64'><dhcp><host id='0:3:0:1:52:54:0:0:0:1' name='g1' ip='fd31:4e::9'/></dhcp></ip>
            </network>
            """);
        KvmNetworkReservation r = Assert.Single(NetworkXml.ToObject(d, false, false, true, "u").Reservations);
        Assert.Null(r.MacAddress);
        Assert.Equal("0:3:0:1:52:54:0:0:0:1", r.ClientId);
        Assert.Equal("fd31:4e::9", r.IPAddress);
    }

    [Fact]
    public void Host_element_for_virNetworkUpdate()
    {
        Assert.Equal("<host mac=\"52:54:00:00:00:01\" name=\"web1\" ip=\"10.231.1.9\" />",
            NetworkXml.BuildHost(new NetworkHost("52:54:00:00:00:01", null, "10.231.1.9", "web1")).ToString());
    }
}

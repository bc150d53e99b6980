using KvmPS.Engine.HostChecks;
using KvmPS.Engine.Networks;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>Host routes and interfaces as the libvirt daemon's network driver sees them, on fixture trees.</summary>
public class NetworkHostViewTests
{
    private static string Root(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "network", name);

    [Fact]
    public void Routes_come_from_the_network_drivers_namespace()
    {
        var view = new DaemonHostView(new HostFileSystem(Root("daemon-view")));
        Assert.Equal(4242, view.DaemonPid);
        var (routes, source) = view.ReadRoutes();
        Assert.Contains("pid 4242", source);
        // Not this process's 192.0.2.0/24 (proc/self): the daemon's own table.
        Assert.Equal(
            new[] { "10.231.1.0/24 eth1", "10.231.250.0/24 kt4n0", "192.168.0.0/16 via1", "fd31:4e:fa::/64 kt4n0", "fd31:4e:fa::2/128 kt4n0" },
            routes.Select(r => $"{r.Destination} {r.Interface}"));
    }

    [Fact]
    public void Without_the_drivers_pid_file_this_process_view_is_used()
    {
        var view = new DaemonHostView(new HostFileSystem(Root("no-daemon")));
        Assert.Null(view.DaemonPid);
        var (routes, source) = view.ReadRoutes();
        Assert.Contains("this process", source);
        Assert.Equal("192.0.2.0/24", Assert.Single(routes).Destination.ToString());
        Assert.Null(view.FindInterface("br0"));
    }

    [Fact]
    public void Interfaces_are_looked_up_in_the_daemons_sysfs()
    {
        var view = new DaemonHostView(new HostFileSystem(Root("daemon-view")));
        Assert.Equal((true, true), view.FindInterface("br0"));
        Assert.Equal((true, false), view.FindInterface("eth1"));
        Assert.Equal((false, false), view.FindInterface("br9"));
    }

    [Fact]
    public void Ipv4_parser_skips_default_down_and_loopback_routes_but_not_routes_via_lo()
    {
        const string text = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
            + "lo\t0000007F\t00000000\t0001\t0\t0\t0\t000000FF\t0\t0\t0\n"
            + "lo\t00FAE70A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
            + "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
            + "eth0\t0000E70A\t00000000\t0000\t0\t0\t0\t0000FFFF\t0\t0\t0\n"
            + "garbage line\n";
        // A subnet routed to lo is the host's own all the same.
        HostRoute r = Assert.Single(DaemonHostView.ParseIPv4(text));
        Assert.Equal("10.231.250.0/24", r.Destination.ToString());
        Assert.Equal("lo", r.Interface);
    }
}

using System.Xml.Linq;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Domains;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>The one MAC rule (MacAddressCheck) and its use by the VM provisioner's plan.</summary>
public sealed class MacAddressCheckTests
{
    private static string VmHost => "test://" + Path.Combine(AppContext.BaseDirectory, "fixtures", "testdriver", "vm-host.xml");

    private static XElement Vm(string name, params string[] macs) => new("domain",
        new XElement("name", name),
        new XElement("devices", macs.Select(m => new XElement("interface", new XAttribute("type", "network"),
            new XElement("mac", new XAttribute("address", m))))));

    private static HostDomains Host() => HostDomains.From(new[]
    {
        ("web1", Vm("web1", "52:54:00:00:00:01")),
        ("web2", Vm("web2", "52:54:00:00:00:02")),
        // A running persistent VM appears twice (live and next start); it is named once.
        ("web2", Vm("web2", "52:54:00:00:00:02", "52:54:00:00:00:03")),
    });

    [Theory]
    [InlineData("52:54:00:00:00:01", "web1")]
    [InlineData("52:54:00:00:00:02", "web2")]
    [InlineData("52:54:00:00:00:03", "web2")]
    [InlineData("52:54:00:00:00:0A", null)]
    public void Refuses_a_mac_another_vm_has_in_any_case_naming_it(string mac, string? user)
    {
        DeviceRefusal? r = MacAddressCheck.Check(Host(), new[] { mac.ToUpperInvariant() }, except: null, force: false);
        if (user is null)
        {
            Assert.Null(r);
            return;
        }
        Assert.NotNull(r);
        Assert.Equal("MacAddressInUse", r!.ErrorId);
        Assert.Equal(KvmErrorKind.AlreadyExists, r.Kind);
        Assert.Contains($"VM(s) {user}.", r.Message);
        Assert.Contains(mac.ToLowerInvariant(), r.Message);
    }

    [Fact]
    public void The_vm_being_replaced_does_not_count_and_force_lets_others_pass()
    {
        Assert.Null(MacAddressCheck.Check(Host(), new[] { "52:54:00:00:00:02" }, except: "web2", force: false));
        Assert.NotNull(MacAddressCheck.Check(Host(), new[] { "52:54:00:00:00:02" }, except: "web1", force: false));
        Assert.Null(MacAddressCheck.Check(Host(), new[] { "52:54:00:00:00:01", "52:54:00:00:00:02" }, except: null, force: true));
    }

    [Fact]
    public void A_mac_given_twice_is_refused_even_with_force()
    {
        DeviceRefusal? r = MacAddressCheck.Check(Host(), new[] { "52:54:00:00:00:0a", "52:54:00:00:00:0A" }, except: null, force: true);
        Assert.Equal("DuplicateMacAddress", r?.ErrorId);
        Assert.Equal(KvmErrorKind.InvalidArgument, r!.Kind);
    }

    [Fact]
    public void The_plan_refuses_a_mac_another_vm_of_the_host_has_unless_allowed()
    {
        using var conn = LibvirtConnection.Open(VmHost);
        var first = new VmRequest { Name = "m1", MemoryBytes = 256UL << 20, Networks = new[] { "lan" }, MacAddresses = new[] { "52:54:00:12:34:56" } };
        VmProvisioner.Apply(VmProvisioner.Plan(conn, first), null, CancellationToken.None);
        var second = first with { Name = "m2", MacAddresses = new[] { "52:54:00:12:34:56" } };
        var e = Assert.Throws<VmRequestException>(() => VmProvisioner.Plan(conn, second));
        Assert.Equal("MacAddressInUse", e.ErrorId);
        Assert.Equal(KvmErrorKind.AlreadyExists, e.Kind);
        Assert.Contains("m1", e.Message);
        Assert.Contains("'m2'", e.Message);
        VmPlan allowed = VmProvisioner.Plan(conn, second with { AllowMacAddressInUse = true });
        Assert.Equal("52:54:00:12:34:56", allowed.Nics[0].MacAddress);
    }

    [Fact]
    public void CheckRequest_refuses_one_mac_twice_before_any_host_is_asked()
    {
        var r = new VmRequest { Name = "m3", MemoryBytes = 256UL << 20, Networks = new[] { "lan", "lan" }, MacAddresses = new[] { "52:54:00:12:34:56", "52:54:00:12:34:56" } };
        var e = Assert.Throws<VmRequestException>(() => VmProvisioner.CheckRequest(r));
        Assert.Equal("DuplicateMacAddress", e.ErrorId);
    }
}

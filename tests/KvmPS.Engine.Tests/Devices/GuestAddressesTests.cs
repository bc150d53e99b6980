using KvmPS.Engine.Devices;
using KvmPS.Engine.Domains;
using Xunit;

namespace KvmPS.Engine.Tests;

public class GuestAddressesTests
{
    // The test driver answers virDomainInterfaceAddresses for a running VM's network adapters
    // with one address each (192.168.122.3 for the test VM's aa:bb:cc:dd:ee:ff), whatever the source.
    [Theory]
    [InlineData(GuestAddresses.Source.Lease)]
    [InlineData(GuestAddresses.Source.Agent)]
    [InlineData(GuestAddresses.Source.Arp)]
    public void The_test_driver_reports_the_running_test_vms_address(GuestAddresses.Source source)
    {
        using var conn = LibvirtConnection.Open("test:///default");
        using var h = conn.LookupDomain("test");
        var found = GuestAddresses.Query(h, source);
        Assert.Equal(new[] { "192.168.122.3" }, found["aa:bb:cc:dd:ee:ff"]);
        Assert.Equal(new[] { "192.168.122.3" }, found["AA:BB:CC:DD:EE:FF"]);
    }

    [Fact]
    public void Fill_sets_the_addresses_of_a_running_vms_adapters()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        using var h = conn.LookupDomain("test");
        KvmNetworkAdapter[] nics = GuestAddresses.Fill(h, DomainService.Get(conn, h).NetworkAdapters);
        Assert.Equal("192.168.122.3", Assert.Single(Assert.Single(nics).IPAddresses));
    }

    [Fact]
    public void A_shut_off_vm_has_no_addresses_and_is_not_asked()
    {
        string file = Path.Combine(Path.GetTempPath(), $"kvmps-addresses-{Guid.NewGuid():N}.xml");
        File.WriteAllText(file, "<node><network><name>lan</name><bridge name='virbr5'/><ip address='192.168.150.1' netmask='255.255.255.0'>"
            + "<dhcp><range start='192.168.150.2' end='192.168.150.254'/></dhcp></ip></network><domain type='test'><name>off1</name><memory>524288</memory><os><type>hvm</type></os><devices>"
            + "<interface type='network'><mac address='52:54:00:00:aa:01'/><source network='lan'/></interface></devices></domain></node>");
        try
        {
            using var conn = LibvirtConnection.Open("test://" + file);
            using var h = conn.LookupDomain("off1");
            // Running (as the test driver starts a host file's VMs), it has an address on lan.
            Assert.StartsWith("192.168.150.", Assert.Single(GuestAddresses.Query(h, GuestAddresses.Source.Lease)["52:54:00:00:aa:01"]));
            DomainService.Destroy(h);
            KvmVM vm = DomainService.Get(conn, h);
            Assert.Equal(KvmVMState.ShutOff, vm.State);
            Assert.Empty(Assert.Single(GuestAddresses.Fill(h, vm.NetworkAdapters)).IPAddresses);
            Assert.Throws<LibvirtException>(() => GuestAddresses.Query(h, GuestAddresses.Source.Lease));
        }
        finally
        {
            File.Delete(file);
        }
    }
}

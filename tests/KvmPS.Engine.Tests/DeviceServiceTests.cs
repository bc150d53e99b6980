using System.Xml.Linq;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;
using Xunit;

namespace KvmPS.Engine.Tests;

// Device changes through libvirt's test driver, on a private host per test (test:///default is
// shared by every connection of the process). The test driver has no hot-plug calls, so a running
// VM shows the fall-back: the change goes to the configuration and says why it did not go live.
public sealed class DeviceServiceTests : IDisposable
{
    private readonly string _hostFile;

    public DeviceServiceTests()
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "fixtures", "nodedev");
        var node = new XElement("node",
            Directory.GetFiles(dir, "*.xml").Select(f => XElement.Parse(File.ReadAllText(f))),
            XElement.Parse("<domain type='test'><name>run1</name><memory>262144</memory><vcpu>2</vcpu><os><type>hvm</type></os>"
                + "<devices><interface type='network'><mac address='52:54:00:00:00:01'/><source network='default'/></interface></devices></domain>"));
        _hostFile = Path.Combine(Path.GetTempPath(), $"kvmps-devices-{Guid.NewGuid():N}.xml");
        File.WriteAllText(_hostFile, node.ToString());
    }

    public void Dispose() => File.Delete(_hostFile);

    private LibvirtConnection Open() => LibvirtConnection.Open("test://" + _hostFile);

    private static DomainHandle DefineStopped(LibvirtConnection conn, string name) =>
        DomainService.Define(conn, $"<domain type='test'><name>{name}</name><memory>262144</memory><vcpu>2</vcpu><os><type>hvm</type></os></domain>");

    [Fact]
    public void A_stopped_vm_gets_devices_in_its_configuration_and_loses_them_again()
    {
        using var conn = Open();
        using var h = DefineStopped(conn, "stopped1");
        XElement nic = DeviceXml.BuildNic(new NicSpec { Network = "default", MacAddress = "52:54:00:00:00:02", Queues = 2 });
        DeviceChangeResult r = DeviceService.Add(conn, h, new[] { nic });
        Assert.True(r.Config);
        Assert.False(r.Live);
        Assert.Null(r.NotLiveReason);
        XElement config = XElement.Parse(DomainService.GetInactiveXml(h));
        Assert.Equal("2", (string?)DeviceXml.FindNic(config, "52:54:00:00:00:02")!.Element("driver")!.Attribute("queues"));

        DeviceChangeResult? changed = DeviceService.Change(conn, h, d => DeviceXml.FindNic(d, "52:54:00:00:00:02"),
            n => DeviceXml.SetLinkState(n, KvmLinkState.Down), n => DeviceXml.SetLinkState(n, KvmLinkState.Down));
        Assert.NotNull(changed);
        Assert.Null(changed!.NotLiveReason);
        Assert.Equal(KvmLinkState.Down, DomainService.Get(conn, h).NetworkAdapters.Single().LinkState);

        DeviceChangeResult? removed = DeviceService.Remove(conn, h, d => DeviceXml.FindNic(d, "52:54:00:00:00:02"));
        Assert.NotNull(removed);
        Assert.Empty(DomainService.Get(conn, h).NetworkAdapters);
        Assert.Null(DeviceService.Remove(conn, h, d => DeviceXml.FindNic(d, "52:54:00:00:00:02")));
    }

    [Fact]
    public void A_running_vm_without_hot_plug_gets_the_device_at_its_next_start()
    {
        using var conn = Open();
        using var h = conn.LookupDomain("run1");
        Assert.True(DomainService.IsActive(h));
        XElement disk = DeviceXml.BuildDisk(new DiskSpec { Path = "/img/d.qcow2", Format = "qcow2", Target = "vdb", Cache = KvmDiskCache.None, IO = KvmDiskIO.Native });
        DeviceChangeResult r = DeviceService.Add(conn, h, new[] { disk });
        Assert.False(r.Live);
        Assert.True(r.Config);
        Assert.Contains("virDomainAttachDeviceFlags", r.NotLiveReason);
        var (config, live) = DeviceService.ReadDefinitions(h);
        Assert.NotNull(DeviceXml.FindDisk(config!, "vdb"));
        Assert.Null(DeviceXml.FindDisk(live!, "vdb"));

        // A device only the running VM has cannot be taken out of it here; the config stays as is.
        DeviceChangeResult? removed = DeviceService.Remove(conn, h, d => DeviceXml.FindNic(d, "52:54:00:00:00:01"));
        Assert.NotNull(removed!.NotLiveReason);
        Assert.Null(DeviceXml.FindNic(XElement.Parse(DomainService.GetInactiveXml(h)), "52:54:00:00:00:01"));
        Assert.NotNull(DeviceXml.FindNic(XElement.Parse(LibvirtConnection.GetXml(h)), "52:54:00:00:00:01"));
    }

    [Fact]
    public void A_device_libvirt_rejects_leaves_the_configuration_exactly_as_it_was()
    {
        using var conn = Open();
        using var h = DefineStopped(conn, "stopped2");
        string before = DomainService.GetInactiveXml(h);
        var bad = XElement.Parse("<disk type='file' device='disk'><source file='/x'/><target dev='vdb' bus='no-such-bus'/></disk>");
        Assert.Throws<LibvirtException>(() => DeviceService.Add(conn, h, new[] { bad }));
        Assert.Equal(before, DomainService.GetInactiveXml(h));
    }

    [Fact]
    public void Host_devices_come_from_the_node_devices_with_their_groups()
    {
        using var conn = Open();
        var devices = HostDeviceService.List(conn);
        Assert.Equal(9, devices.Count);
        Assert.Equal(new[] { "0000:01:00.0", "0000:01:00.1", "0000:03:00.0", "0000:03:10.0", "0000:03:10.4" },
            devices.Where(d => d.Assignable).Select(d => d.PciAddress));
        Assert.Equal("GP104 [GeForce GTX 1080]", HostDeviceService.Find(conn, new PciAddress(0, 1, 0, 0))!.ProductName);
        Assert.Null(HostDeviceService.Find(conn, new PciAddress(0, 9, 0, 0)));
        Assert.All(devices, d => Assert.Equal("test://" + _hostFile, d.Uri));
    }

    [Fact]
    public void A_new_mac_avoids_every_vm_of_the_host()
    {
        using var conn = Open();
        HostDomains host = HostDomains.Read(conn);
        Assert.Equal(new[] { "run1" }, host.UsersOfMac("52:54:00:00:00:01"));
        Assert.NotEqual("52:54:00:00:00:01", host.NewMacAddress());
    }
}

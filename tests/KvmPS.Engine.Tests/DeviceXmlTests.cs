using System.Xml.Linq;
using KvmPS.Engine.Devices;
using Xunit;

namespace KvmPS.Engine.Tests;

// Device XML builders and parsers, and the PCI node device fixtures (tests/fixtures/nodedev: a GPU
// with its audio function and root port in one IOMMU group, an SR-IOV NIC with two VFs, chipset
// devices grouped with the ISA bridge), as a real host's libvirt reports them.
public class DeviceXmlTests
{
    private static string Fixture(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "nodedev", name + ".xml"));

    private static List<KvmHostDevice> FixtureHost() =>
        NodeDeviceXml.ToHostDevices(
            Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "fixtures", "nodedev"), "*.xml")
                .Select(f => NodeDeviceXml.ParsePci(File.ReadAllText(f))!),
            "test:///x");

    [Theory]
    [InlineData("0000:01:00.0", 0, 1, 0, 0)]
    [InlineData("01:00.1", 0, 1, 0, 1)]
    [InlineData("0001:AF:1F.7", 1, 0xaf, 0x1f, 7)]
    [InlineData(" 0000:3b:00.0 ", 0, 0x3b, 0, 0)]
    public void Pci_addresses_parse_in_lspci_forms(string text, int d, int b, int s, int f)
    {
        Assert.True(PciAddress.TryParse(text, out PciAddress a));
        Assert.Equal(new PciAddress(d, b, s, f), a);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0000:01:00")]
    [InlineData("0000:01:00.8")]
    [InlineData("0000:01:20.0")]
    [InlineData("00000:01:00.0")]
    [InlineData("0000:001:00.0")]
    [InlineData("g000:01:00.0")]
    [InlineData("0000:01:00.0.1")]
    [InlineData("pci_0000_01_00_0")]
    [InlineData("0000:-1:00.0")]
    public void Malformed_pci_addresses_are_refused(string text) =>
        Assert.False(PciAddress.TryParse(text, out _));

    [Fact]
    public void Pci_addresses_round_trip_through_text_xml_and_node_device_names()
    {
        var a = new PciAddress(0, 0x3b, 0x1f, 7);
        Assert.Equal("0000:3b:1f.7", a.ToString());
        Assert.Equal("pci_0000_3b_1f_7", a.NodeDeviceName);
        XElement x = a.ToXml();
        Assert.Equal("0x0000", (string?)x.Attribute("domain"));
        Assert.Equal("0x3b", (string?)x.Attribute("bus"));
        Assert.Equal("0x1f", (string?)x.Attribute("slot"));
        Assert.Equal("0x7", (string?)x.Attribute("function"));
        Assert.Equal(a, PciAddress.FromXml(x));
        Assert.Equal(new PciAddress(0, 3, 16, 4), PciAddress.FromXml(XElement.Parse("<address bus='3' slot='16' function='4'/>")));
        Assert.Null(PciAddress.FromXml(XElement.Parse("<address type='pci'/>")));
    }

    [Fact]
    public void A_gpu_shows_its_ids_names_driver_numa_node_and_iommu_group()
    {
        PciNodeDevice gpu = NodeDeviceXml.ParsePci(Fixture("pci_0000_01_00_0"))!;
        Assert.Equal(new PciAddress(0, 1, 0, 0), gpu.Address);
        Assert.Equal("pci_0000_01_00_0", gpu.Name);
        Assert.Equal(0x030000, gpu.ClassCode);
        Assert.Equal("0x10de", gpu.VendorId);
        Assert.Equal("NVIDIA Corporation", gpu.VendorName);
        Assert.Equal("0x1b80", gpu.ProductId);
        Assert.Equal("GP104 [GeForce GTX 1080]", gpu.ProductName);
        Assert.Equal("nouveau", gpu.Driver);
        Assert.Equal("pci_0000_00_01_0", gpu.Parent);
        Assert.Equal(0, gpu.NumaNode);
        Assert.Equal(1, gpu.IommuGroup);
        Assert.Equal(3, gpu.IommuGroupAddresses.Count);
    }

    [Fact]
    public void Gpu_and_its_audio_function_are_assignable_beside_their_root_port()
    {
        var host = FixtureHost();
        KvmHostDevice gpu = host.Single(d => d.PciAddress == "0000:01:00.0");
        KvmHostDevice audio = host.Single(d => d.PciAddress == "0000:01:00.1");
        KvmHostDevice port = host.Single(d => d.PciAddress == "0000:00:01.0");
        Assert.Equal(new[] { "0000:00:01.0", "0000:01:00.1" }, gpu.IommuGroupMembers);
        Assert.Equal(new[] { "0000:00:01.0", "0000:01:00.0" }, audio.IommuGroupMembers);
        Assert.True(gpu.Assignable);
        Assert.True(audio.Assignable);
        Assert.Equal("VGA compatible controller", gpu.ClassName);
        Assert.Equal("Audio device", audio.ClassName);
        // The root port is a PCI bridge: the host keeps it, and vfio accepts it in the group.
        Assert.True(port.IsHostCritical);
        Assert.False(port.Assignable);
        Assert.Equal("PCI bridge", port.ClassName);
    }

    [Fact]
    public void Chipset_audio_grouped_with_the_isa_bridge_is_not_assignable()
    {
        var host = FixtureHost();
        KvmHostDevice audio = host.Single(d => d.PciAddress == "0000:00:1f.3");
        KvmHostDevice isa = host.Single(d => d.PciAddress == "0000:00:1f.0");
        Assert.Equal(9, audio.IommuGroup);
        Assert.False(audio.IsHostCritical);
        Assert.False(audio.Assignable);
        Assert.True(isa.IsHostCritical);
        Assert.Equal("ISA bridge", isa.ClassName);
        Assert.False(host.Single(d => d.PciAddress == "0000:00:00.0").Assignable);
    }

    [Fact]
    public void Sriov_physical_and_virtual_functions_point_at_each_other()
    {
        var host = FixtureHost();
        KvmHostDevice pf = host.Single(d => d.PciAddress == "0000:03:00.0");
        Assert.Equal(7, pf.MaxVirtualFunctions);
        Assert.Equal(new[] { "0000:03:10.0", "0000:03:10.4" }, pf.VirtualFunctions);
        Assert.Null(pf.PhysicalFunction);
        foreach (string vf in pf.VirtualFunctions)
        {
            KvmHostDevice v = host.Single(d => d.PciAddress == vf);
            Assert.Equal("0000:03:00.0", v.PhysicalFunction);
            Assert.Null(v.MaxVirtualFunctions);
            Assert.Empty(v.IommuGroupMembers);
            Assert.True(v.Assignable);
        }
        Assert.Equal("vfio-pci", host.Single(d => d.PciAddress == "0000:03:10.4").Driver);
    }

    [Fact]
    public void Devices_come_ordered_by_address()
    {
        var host = FixtureHost();
        Assert.Equal(host.Select(d => d.PciAddress).OrderBy(a => a, StringComparer.Ordinal), host.Select(d => d.PciAddress));
        Assert.Equal(9, host.Count);
    }

    [Fact]
    public void Without_an_iommu_nothing_is_assignable_and_unnamed_products_stay_null()
    {
        // As a host without an IOMMU (this project's CI machine) reports a device.
        const string xml = """
            <device>
              <name>pci_0000_00_02_0</name>
              <path>/sys/devices/pci0000:00/0000:00:02.0</path>
              <parent>computer</parent>
              <driver><name>virtio-pci</name></driver>
              <capability type='pci'>
                <class>0x018000</class>
                <domain>0</domain><bus>0</bus><slot>2</slot><function>0</function>
                <product id='0x1042'/>
                <vendor id='0x1af4'>Red Hat, Inc.</vendor>
              </capability>
            </device>
            """;
        KvmHostDevice d = Assert.Single(NodeDeviceXml.ToHostDevices(new[] { NodeDeviceXml.ParsePci(xml)! }, "u"));
        Assert.Null(d.IommuGroup);
        Assert.False(d.Assignable);
        Assert.False(d.IsHostCritical);
        Assert.Null(d.ProductName);
        Assert.Equal("0x1042", d.ProductId);
        Assert.Equal("virtio-pci", d.Driver);
        Assert.Equal("Mass storage controller", d.ClassName);
        Assert.Equal("0x018000", d.Class);
        Assert.Null(NodeDeviceXml.ParsePci("<device><name>computer</name><capability type='system'/></device>"));
    }

    [Fact]
    public void The_disk_builder_writes_the_tuned_virtio_blk_disk()
    {
        XElement disk = DeviceXml.BuildDisk(new DiskSpec
        {
            Path = "/var/lib/libvirt/images/vm.qcow2", Format = "qcow2", Target = "vdb",
            Cache = KvmDiskCache.None, IO = KvmDiskIO.Native, Discard = true,
        });
        XElement expected = XElement.Parse("""
            <disk type='file' device='disk'>
              <driver name='qemu' type='qcow2' cache='none' io='native' discard='unmap'/>
              <source file='/var/lib/libvirt/images/vm.qcow2'/>
              <target dev='vdb' bus='virtio'/>
            </disk>
            """);
        Assert.True(XNode.DeepEquals(expected, disk), disk.ToString());
    }

    [Fact]
    public void Scsi_disks_sit_on_a_drive_address_and_block_devices_use_dev()
    {
        XElement disk = DeviceXml.BuildDisk(new DiskSpec
        {
            Path = "/dev/vg0/data", Format = "raw", Target = "sdc", Bus = KvmDiskBus.Scsi,
            IO = KvmDiskIO.IoUring, ReadOnly = true, IsBlockDevice = true, DriveAddress = (1, 2),
        });
        Assert.Equal("block", (string?)disk.Attribute("type"));
        Assert.Equal("/dev/vg0/data", (string?)disk.Element("source")!.Attribute("dev"));
        Assert.Equal("io_uring", (string?)disk.Element("driver")!.Attribute("io"));
        Assert.Null(disk.Element("driver")!.Attribute("cache"));
        Assert.NotNull(disk.Element("readonly"));
        XElement a = disk.Element("address")!;
        Assert.Equal(("drive", "1", "0", "0", "2"),
            ((string?)a.Attribute("type"), (string?)a.Attribute("controller"), (string?)a.Attribute("bus"), (string?)a.Attribute("target"), (string?)a.Attribute("unit")));
    }

    [Fact]
    public void The_nic_builder_writes_multiqueue_vhost_virtio_net()
    {
        XElement nic = DeviceXml.BuildNic(new NicSpec { Network = "default", MacAddress = "52:54:00:12:34:56", Queues = 4 });
        XElement expected = XElement.Parse("""
            <interface type='network'>
              <source network='default'/>
              <mac address='52:54:00:12:34:56'/>
              <model type='virtio'/>
              <driver name='vhost' queues='4'/>
            </interface>
            """);
        Assert.True(XNode.DeepEquals(expected, nic), nic.ToString());
    }

    [Fact]
    public void Nic_options_bridge_backend_single_queue_and_link_state()
    {
        XElement nic = DeviceXml.BuildNic(new NicSpec
        {
            Bridge = "br0", MacAddress = "52:54:00:00:00:01", Model = KvmNetworkModel.E1000e, LinkState = KvmLinkState.Down,
        });
        Assert.Equal("bridge", (string?)nic.Attribute("type"));
        Assert.Equal("br0", (string?)nic.Element("source")!.Attribute("bridge"));
        Assert.Equal("e1000e", (string?)nic.Element("model")!.Attribute("type"));
        Assert.Null(nic.Element("driver"));
        Assert.Equal("down", (string?)nic.Element("link")!.Attribute("state"));

        XElement single = DeviceXml.BuildNic(new NicSpec { Network = "n", MacAddress = "52:54:00:00:00:02", Driver = KvmNetworkDriver.Qemu, Queues = 1 });
        Assert.Equal("qemu", (string?)single.Element("driver")!.Attribute("name"));
        Assert.Null(single.Element("driver")!.Attribute("queues"));

        DeviceXml.SetNicDriver(single, null, 1);
        DeviceXml.SetLinkState(nic, KvmLinkState.Up);
        Assert.Null(nic.Element("link"));
        DeviceXml.SetNicSource(nic, "lab", null);
        Assert.Equal("network", (string?)nic.Attribute("type"));
        Assert.Equal("lab", (string?)nic.Element("source")!.Attribute("network"));
        Assert.Single(nic.Elements("source"));
    }

    [Fact]
    public void Disk_options_change_and_clear_attributes()
    {
        XElement disk = DeviceXml.BuildDisk(new DiskSpec { Path = "/i/a.img", Target = "vda", Discard = true, ReadOnly = true });
        DeviceXml.SetDiskOptions(disk, KvmDiskCache.DirectSync, KvmDiskIO.Threads, discard: false, readOnly: false);
        XElement d = disk.Element("driver")!;
        Assert.Equal("directsync", (string?)d.Attribute("cache"));
        Assert.Equal("threads", (string?)d.Attribute("io"));
        Assert.Null(d.Attribute("discard"));
        Assert.Null(disk.Element("readonly"));
        DeviceXml.SetDiskOptions(disk, null, null, discard: true, readOnly: null);
        Assert.Equal("unmap", (string?)disk.Element("driver")!.Attribute("discard"));
        Assert.Equal("directsync", (string?)disk.Element("driver")!.Attribute("cache"));
    }

    [Theory]
    [InlineData("none", "native", true)]
    [InlineData("directsync", "native", true)]
    [InlineData("writeback", "native", false)]
    [InlineData(null, "native", false)]
    [InlineData("writeback", "io_uring", true)]
    [InlineData("unsafe", "threads", true)]
    [InlineData(null, null, true)]
    public void Io_native_needs_the_page_cache_bypassed(string? cache, string? io, bool ok) =>
        Assert.Equal(ok, DeviceXml.CheckCacheIO(cache, io) is null);

    [Theory]
    [InlineData("vdb", KvmDiskBus.Virtio, true)]
    [InlineData("vdaa", KvmDiskBus.Virtio, true)]
    [InlineData("sdb", KvmDiskBus.Scsi, true)]
    [InlineData("sdc", KvmDiskBus.Sata, true)]
    [InlineData("sdd", KvmDiskBus.Usb, true)]
    [InlineData("sdb", KvmDiskBus.Virtio, false)]
    [InlineData("vdb", KvmDiskBus.Scsi, false)]
    [InlineData("hda", KvmDiskBus.Sata, false)]
    [InlineData("vd1", KvmDiskBus.Virtio, false)]
    [InlineData("VDB", KvmDiskBus.Virtio, false)]
    public void Targets_must_fit_their_bus(string target, KvmDiskBus bus, bool ok) =>
        Assert.Equal(ok, DeviceXml.CheckTarget(target, bus) is null);

    [Fact]
    public void Next_target_skips_what_the_config_and_the_running_vm_use()
    {
        XElement config = Domain("<disk><target dev='vda' bus='virtio'/></disk><disk><target dev='sda' bus='sata'/></disk>");
        XElement live = Domain("<disk><target dev='vda' bus='virtio'/></disk><disk><target dev='vdb' bus='virtio'/></disk>");
        Assert.Equal("vdc", DeviceXml.NextTarget("vd", config, live));
        Assert.Equal("sdb", DeviceXml.NextTarget("sd", config, null));
        Assert.Equal("aa", DeviceXml.Letters(26));
        Assert.Equal("az", DeviceXml.Letters(51));
        Assert.Equal("ba", DeviceXml.Letters(52));
        XElement full = Domain(string.Concat(Enumerable.Range(0, 26).Select(i => $"<disk><target dev='vd{DeviceXml.Letters(i)}'/></disk>")));
        Assert.Equal("vdaa", DeviceXml.NextTarget("vd", full));
    }

    [Fact]
    public void Virtio_scsi_controller_and_free_units_are_found()
    {
        XElement d = Domain("""
            <controller type='scsi' index='0' model='lsilogic'/>
            <controller type='scsi' index='2' model='virtio-scsi'/>
            <controller type='usb' index='0'/>
            <disk><target dev='sda' bus='scsi'/><address type='drive' controller='2' bus='0' target='0' unit='0'/></disk>
            <disk><target dev='sdb' bus='scsi'/><address type='drive' controller='2' bus='0' target='0' unit='2'/></disk>
            <disk><target dev='sdc' bus='scsi'/><address type='drive' controller='0' bus='0' target='0' unit='1'/></disk>
            """);
        Assert.Equal(2, DeviceXml.VirtioScsiControllerIndex(d));
        Assert.Equal(1, DeviceXml.NextScsiUnit(2, d));
        Assert.Equal(0, DeviceXml.NextScsiUnit(0, d));
        Assert.Equal(3, DeviceXml.NextControllerIndex(d, "scsi"));
        Assert.Equal(0, DeviceXml.NextControllerIndex(d, "sata"));
        Assert.Null(DeviceXml.VirtioScsiControllerIndex(Domain("<controller type='scsi' index='0' model='lsilogic'/>")));
        XElement c = DeviceXml.BuildVirtioScsiController(3);
        Assert.Equal(("scsi", "3", "virtio-scsi"), ((string?)c.Attribute("type"), (string?)c.Attribute("index"), (string?)c.Attribute("model")));
    }

    [Fact]
    public void Devices_are_found_by_target_mac_and_host_address()
    {
        XElement d = Domain("""
            <disk><source file='/a'/><target dev='vdb'/></disk>
            <interface type='network'><mac address='52:54:00:AB:CD:EF'/><source network='n'/></interface>
            <hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x01' slot='0x00' function='0x1'/></source></hostdev>
            <hostdev mode='subsystem' type='usb'><source><vendor id='0x1234'/></source></hostdev>
            """);
        Assert.NotNull(DeviceXml.FindDisk(d, "vdb"));
        Assert.Null(DeviceXml.FindDisk(d, "vdc"));
        Assert.NotNull(DeviceXml.FindNic(d, "52:54:00:ab:cd:ef"));
        Assert.NotNull(DeviceXml.FindPciHostdev(d, new PciAddress(0, 1, 0, 1)));
        Assert.Null(DeviceXml.FindPciHostdev(d, new PciAddress(0, 1, 0, 0)));
        Assert.Equal(new[] { new PciAddress(0, 1, 0, 1) }, DeviceXml.PciHostdevAddresses(d));
    }

    [Fact]
    public void Hostdev_is_a_managed_vfio_pci_device()
    {
        XElement h = DeviceXml.BuildPciHostdev(new PciAddress(0, 1, 0, 0));
        XElement expected = XElement.Parse("""
            <hostdev mode='subsystem' type='pci' managed='yes'>
              <driver name='vfio'/>
              <source><address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></source>
            </hostdev>
            """);
        Assert.True(XNode.DeepEquals(expected, h), h.ToString());
    }

    [Fact]
    public void Detach_requests_drop_guest_addresses_and_runtime_parts_but_keep_the_host_source()
    {
        XElement live = XElement.Parse("""
            <interface type='network'>
              <mac address='52:54:00:de:ad:01'/>
              <source network='lab' portid='c840d300-a9b9-48cd-ac51-103b804fc554' bridge='virbr9'/>
              <target dev='vnet5'/>
              <model type='virtio'/>
              <alias name='net0'/>
              <address type='pci' domain='0x0000' bus='0x05' slot='0x00' function='0x0'/>
            </interface>
            """);
        XElement req = DeviceXml.ForDetach(live);
        Assert.Null(req.Element("address"));
        Assert.Null(req.Element("alias"));
        Assert.Null(req.Element("target"));
        Assert.Equal("<source network=\"lab\" />", req.Element("source")!.ToString());
        Assert.NotNull(live.Element("address"));

        XElement hostdev = DeviceXml.BuildPciHostdev(new PciAddress(0, 1, 0, 0));
        hostdev.Add(new XElement("address", new XAttribute("type", "pci")));
        Assert.NotNull(DeviceXml.ForDetach(hostdev).Element("source")!.Element("address"));
        Assert.Null(DeviceXml.ForDetach(hostdev).Element("address"));
    }

    [Fact]
    public void Host_view_finds_mac_disk_and_hostdev_users_and_makes_free_macs()
    {
        var host = HostDomains.From(new[]
        {
            ("a", Domain("<interface type='network'><mac address='52:54:00:00:00:01'/></interface><disk><source file='/img/a'/></disk>")),
            ("b", Domain("<disk><source file='/img/a'/><readonly/></disk><hostdev type='pci'><source><address bus='1' slot='0' function='0'/></source></hostdev>")),
            ("c", Domain("<disk><source dev='/dev/sdb'/></disk>")),
        });
        Assert.Equal(new[] { "a" }, host.UsersOfMac("52:54:00:00:00:01"));
        Assert.Empty(host.UsersOfMac("52:54:00:00:00:02"));
        Assert.Equal(new[] { "a" }, host.WritersOfPath("/img/a", except: "b"));
        Assert.Empty(host.WritersOfPath("/img/a", except: "a"));
        Assert.Equal(new[] { "c" }, host.WritersOfPath("/dev/sdb", null));
        Assert.Equal(new[] { "b" }, host.UsersOfHostDevice(new PciAddress(0, 1, 0, 0), "a"));
        var macs = Enumerable.Range(0, 50).Select(_ => host.NewMacAddress()).ToList();
        Assert.All(macs, m => Assert.Matches("^52:54:00:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$", m));
        Assert.DoesNotContain("52:54:00:00:00:01", macs);
        Assert.True(HostDomains.IsUnicastMac("52:54:00:AB:cd:01"));
        Assert.False(HostDomains.IsUnicastMac("01:00:5e:00:00:01"));
        Assert.False(HostDomains.IsUnicastMac("52-54-00-00-00-01"));
        Assert.False(HostDomains.IsUnicastMac("52:54:00:00:00"));
    }

    private static XElement Domain(string devices) => XElement.Parse($"<domain><devices>{devices}</devices></domain>");
}

using KvmPS.Engine.Devices;
using KvmPS.Engine.HostChecks;
using Xunit;

namespace KvmPS.Engine.Tests.Devices;

// What the host uses of a PCI device, on the fixture trees tests/fixtures/hosts/pci-nic-in-use,
// pci-root-disk and pci-idle (the same devices, none in use), with the PCI devices of
// tests/fixtures/nodedev and nodedev-hostuse.
public class HostDeviceUsageTests
{
    private static IHostFileSystem Tree(string name) => new HostFileSystem(Path.Combine(AppContext.BaseDirectory, "fixtures", "hosts", name));

    private static readonly List<KvmHostDevice> Devices = NodeDeviceXml.ToHostDevices(
        new[] { "nodedev", "nodedev-hostuse" }
            .SelectMany(d => Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "fixtures", d), "*.xml"))
            .Select(f => NodeDeviceXml.ParsePci(File.ReadAllText(f))!), "test:///x");

    private static KvmHostDevice Device(string address) => Devices.Single(d => d.PciAddress == address);

    [Fact]
    public void Manifest_links_resolve_like_sysfs_links()
    {
        IHostFileSystem fs = Tree("pci-root-disk");
        Assert.Equal("/sys/devices/pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block/sda", fs.RealPath("/sys/block/sda"));
        Assert.Equal("/sys/devices/virtual/block/dm-0", fs.RealPath("/sys/block/dm-0"));
        Assert.Equal(new[] { "dm-0", "dm-1", "nvme0n1", "sda" }, fs.List("/sys/block"));
        // Reads go through links in the middle of a path too.
        Assert.Equal("8:2", fs.ReadText("/sys/block/sda/sda2/dev")?.Trim());
        Assert.Equal(new[] { "dm-0", "dm-1" }, fs.List("/sys/block/sda/sda2/holders"));
        Assert.Null(fs.RealPath("/sys/block/sdz"));
    }

    [Fact]
    public void The_live_system_resolves_its_own_links()
    {
        var fs = new HostFileSystem("/");
        string? real = fs.RealPath("/proc/self");
        Assert.NotNull(real);
        Assert.Matches(@"^/proc/\d+$", real);
    }

    [Fact]
    public void A_nic_that_is_up_with_routes_and_addresses_is_in_use()
    {
        var uses = HostDeviceUsage.Find(Tree("pci-nic-in-use"), "0000:03:00.0");
        Assert.Equal(new[]
        {
            "its network interface eno1 is up, carries routes (default via 192.168.1.1, 192.168.1.0/24) and has IPv6 address(es) 2001:db8::10/64",
        }, uses);
    }

    [Fact]
    public void A_bridge_port_is_in_use_and_a_down_interface_is_not()
    {
        IHostFileSystem fs = Tree("pci-nic-in-use");
        Assert.Equal(new[] { "its network interface enp5s0f1 is up and is a port of br0" }, HostDeviceUsage.Find(fs, "0000:05:00.1"));
        Assert.Empty(HostDeviceUsage.Find(fs, "0000:03:10.0"));
        Assert.Empty(HostDeviceUsage.Find(fs, "0000:05:00.0"));
    }

    [Fact]
    public void A_disk_controller_with_the_root_file_system_is_in_use()
    {
        var uses = HostDeviceUsage.Find(Tree("pci-root-disk"), "0000:00:17.0");
        Assert.Equal(new[]
        {
            "sda1 is mounted at /boot/efi",
            "sda2 is part of dm-0 (vg0-root), which is mounted at / and is part of dm-1 (vg0-swap), which is in use as swap",
        }, uses);
    }

    [Fact]
    public void An_unused_disk_controller_is_not_in_use()
    {
        Assert.Empty(HostDeviceUsage.Find(Tree("pci-root-disk"), "0000:04:00.0"));
    }

    [Theory]
    [InlineData("0000:03:00.0")]
    [InlineData("0000:05:00.1")]
    [InlineData("0000:00:17.0")]
    public void The_same_devices_idle_are_not_in_use(string address)
    {
        Assert.Empty(HostDeviceUsage.Find(Tree("pci-idle"), address));
    }

    [Fact]
    public void A_device_the_host_uses_is_refused_naming_what_uses_it_and_force()
    {
        DeviceRefusal? r = HostDeviceUseCheck.Check("qemu:///system", Tree("pci-root-disk"), Device("0000:00:17.0"), Devices, force: false);
        Assert.NotNull(r);
        Assert.Equal("HostDeviceInUse", r!.ErrorId);
        Assert.Equal(KvmErrorKind.ResourceBusy, r.Kind);
        Assert.Equal("0000:00:17.0", r.Target);
        Assert.StartsWith("The host uses 0000:00:17.0 (SATA controller) (driver ahci): sda1 is mounted at /boot/efi; sda2 is part of dm-0", r.Message);
        Assert.Contains("-Force", r.Message);
        Assert.Null(HostDeviceUseCheck.Check("qemu:///system", Tree("pci-root-disk"), Device("0000:00:17.0"), Devices, force: true));
        Assert.Null(HostDeviceUseCheck.Check("qemu:///system", Tree("pci-idle"), Device("0000:00:17.0"), Devices, force: false));
    }

    [Fact]
    public void A_device_whose_iommu_group_holds_a_device_in_use_is_refused()
    {
        DeviceRefusal? r = HostDeviceUseCheck.Check("qemu:///system", Tree("pci-nic-in-use"), Device("0000:05:00.0"), Devices, force: false);
        Assert.NotNull(r);
        Assert.Equal("HostDeviceInUse", r!.ErrorId);
        Assert.Contains("0000:05:00.1 (Ethernet controller) in its IOMMU group (vfio takes the whole group): its network interface enp5s0f1 is up and is a port of br0", r.Message);
    }

    [Fact]
    public void A_remote_host_cannot_be_checked_and_needs_force()
    {
        Assert.Null(HostDeviceUseCheck.FileSystemFor("qemu+ssh://admin@kvm2.example/system"));
        DeviceRefusal? r = HostDeviceUseCheck.Check("qemu+ssh://admin@kvm2.example/system", null, Device("0000:04:00.0"), Devices, force: false);
        Assert.NotNull(r);
        Assert.Equal("HostDeviceUseUnknown", r!.ErrorId);
        Assert.Contains("qemu+ssh://admin@kvm2.example/system", r.Message);
        Assert.Contains("-Force", r.Message);
        Assert.Null(HostDeviceUseCheck.Check("qemu+ssh://admin@kvm2.example/system", null, Device("0000:04:00.0"), Devices, force: true));
    }

    [Fact]
    public void A_local_host_is_checked_in_this_machines_tree()
    {
        Assert.NotNull(HostDeviceUseCheck.FileSystemFor("qemu:///system"));
        Assert.NotNull(HostDeviceUseCheck.FileSystemFor(""));
    }
}

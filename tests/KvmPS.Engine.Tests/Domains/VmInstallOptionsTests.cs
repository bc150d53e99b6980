using System.Security;
using System.Xml.Linq;
using KvmPS.Engine.Domains;
using Xunit;

namespace KvmPS.Engine.Tests.Domains;

/// <summary>The virt-install options of New-KvmVM: refusals, the XML they make, install trees, the serial port.</summary>
public sealed class VmInstallOptionsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kvmps-vminstall-" + Guid.NewGuid().ToString("N"));

    public VmInstallOptionsTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static VmRequest Vm(VmInstallOptions o) => new() { Name = "v", MemoryBytes = 1UL << 30, VCpuCount = 2, Install = o };

    public static TheoryData<string, VmRequest> Refused => new()
    {
        { "ConflictingInstallSources", Vm(new() { Pxe = true }) with { Cdrom = "/x.iso" } },
        { "ConflictingInstallSources", Vm(new() { Location = "/tree" }) with { Kernel = "/k", Start = true } },
        { "ConflictingInstallSources", Vm(new() { Pxe = true }) with { Import = true, DiskPath = "/x.qcow2" } },
        { "LocationNeedsStart", Vm(new() { Location = "/tree" }) },
        { "ExtraArgsWithoutLocation", Vm(new() { ExtraArgs = "ks=x" }) },
        { "TimeoutWithoutWait", Vm(new() { WaitTimeout = TimeSpan.FromMinutes(1) }) },
        { "MaxVCpuCountTooSmall", Vm(new() { MaxVCpuCount = 1 }) },
        { "TopologyMismatch", Vm(new() { Sockets = 2, Cores = 2 }) },
        { "TopologyMismatch", Vm(new() { MaxVCpuCount = 8, Sockets = 2, Cores = 2 }) },
        { "ModelRequired", Vm(new() { CpuMode = KvmCpuMode.Custom }) },
        { "ModelNeedsCustomMode", Vm(new() { CpuMode = KvmCpuMode.HostModel, CpuModel = "Skylake-Server" }) },
        { "MaxMemoryTooSmall", Vm(new() { MaxMemoryBytes = 512UL << 20 }) },
        { "ConflictingNetworkParameters", Vm(new() { NoNetwork = true }) with { Networks = new[] { "default" } } },
        { "ConflictingNetworkParameters", Vm(new() { NoNetwork = true, DirectInterfaces = new[] { "eth0" } }) },
        { "InvalidBootDevice", Vm(new() { BootOrder = new[] { "usb" } }) },
        { "InvalidBootDevice", Vm(new() { BootOrder = new[] { "hd", "hd" } }) },
        { "BootOrderWithKernel", Vm(new() { BootOrder = new[] { "hd" } }) with { Kernel = "/k" } },
        { "GraphicsOptionWithoutGraphics", Vm(new() { GraphicsPort = 5901 }) with { Graphics = VmGraphics.None } },
        { "InvalidGraphicsPort", Vm(new() { GraphicsPort = 80 }) },
        { "GraphicsPortWithoutListen", Vm(new() { GraphicsPort = 5901 }) with { GraphicsListen = "none" } },
        { "InvalidSerial", Vm(new() { Serial = "tcp=0.0.0.0:4555" }) },
        { "InvalidSerial", Vm(new() { Serial = "tcp=192.168.1.2:4555" }) },
        { "InvalidSerial", Vm(new() { Serial = "file=relative.log" }) },
        { "InvalidSerial", Vm(new() { Serial = "spice" }) },
        { "InvalidFilesystem", Vm(new() { Filesystems = new[] { new VmFilesystemSpec("share", "tag") } }) },
        { "InvalidFilesystem", Vm(new() { Filesystems = new[] { new VmFilesystemSpec("/a", "t"), new VmFilesystemSpec("/b", "t") } }) },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Refuses_before_any_host_is_asked(string id, VmRequest r)
    {
        var e = Assert.Throws<VmRequestException>(() => VmProvisioner.CheckRequest(r));
        Assert.Equal((id, KvmErrorKind.InvalidArgument, "v"), (e.ErrorId, e.Kind, e.Target));
    }

    [Fact]
    public void Accepts_a_consistent_set()
    {
        Assert.Null(VmProvisioner.CheckRequest(Vm(new()
        {
            MaxVCpuCount = 4, Sockets = 2, Cores = 2, MaxMemoryBytes = 2UL << 30, Serial = "tcp=127.0.0.1:4555",
            BootOrder = new[] { "network", "hd" }, GraphicsPort = 5905, Filesystems = new[] { new VmFilesystemSpec("/srv", "srv") },
        })));
        Assert.Equal(new VmFilesystemSpec("/srv/a", "a"), VmFilesystemSpec.Parse("v", "/srv/a,a"));
        Assert.Equal(new VmFilesystemSpec("/srv/a", "b"), VmFilesystemSpec.Parse("v", "source.dir=/srv/a,target.dir=b,driver.type=virtiofs"));
        Assert.Equal("InvalidFilesystem", Assert.Throws<VmRequestException>(() => VmFilesystemSpec.Parse("v", "/srv/a")).ErrorId);
    }

    private static XElement Xml(VmRequest r, bool qemu = true)
    {
        var x = DomainXmlBuilder.Build(new VmSpec
        {
            Name = r.Name, MemoryBytes = r.MemoryBytes, VCpuCount = r.VCpuCount, IsQemu = qemu, Machine = "q35",
            Nics = new List<VmNicSpec> { new() { Network = "default" } }, GraphicsListen = r.GraphicsListen == "none" ? null : r.GraphicsListen,
        });
        VmXmlOptions.Apply(x, r, qemu, "virtio");
        return x;
    }

    [Fact]
    public void Maximums_topology_and_cpu_mode_are_written_as_virt_install_does()
    {
        XElement x = Xml(Vm(new() { MaxVCpuCount = 4, Sockets = 1, Cores = 2, Threads = 2, MaxMemoryBytes = 4UL << 30, CpuMode = KvmCpuMode.HostModel }));
        Assert.Equal(("4", "2"), ((string)x.Element("vcpu")!, (string?)x.Element("vcpu")!.Attribute("current")));
        Assert.Equal(("4194304", "1048576"), ((string)x.Element("memory")!, (string)x.Element("currentMemory")!));
        XElement cpu = x.Element("cpu")!;
        Assert.Equal("host-model", (string?)cpu.Attribute("mode"));
        Assert.Equal(("1", "2", "2"), ((string?)cpu.Element("topology")!.Attribute("sockets"), (string?)cpu.Element("topology")!.Attribute("cores"), (string?)cpu.Element("topology")!.Attribute("threads")));
        Assert.Equal("custom", (string?)Xml(Vm(new() { CpuModel = "Haswell" })).Element("cpu")!.Attribute("mode"));
    }

    [Fact]
    public void Nic_model_macvtap_graphics_serial_and_shares()
    {
        using var password = new SecureString();
        foreach (char c in "s3cret")
        {
            password.AppendChar(c);
        }
        XElement x = Xml(Vm(new()
        {
            NetworkModel = "e1000e", DirectInterfaces = new[] { "eth1" }, GraphicsPort = 5907, GraphicsPassword = password,
            Serial = "unix=/run/v.sock", Filesystems = new[] { new VmFilesystemSpec("/srv/share", "share") },
        }));
        XElement[] nics = x.Element("devices")!.Elements("interface").ToArray();
        Assert.Equal(new[] { "e1000e", "e1000e" }, nics.Select(n => (string?)n.Element("model")!.Attribute("type")));
        Assert.Equal(("direct", "eth1", "bridge"), ((string?)nics[1].Attribute("type"), (string?)nics[1].Element("source")!.Attribute("dev"), (string?)nics[1].Element("source")!.Attribute("mode")));
        XElement g = x.Element("devices")!.Element("graphics")!;
        Assert.Equal(("5907", "no", "s3cret"), ((string?)g.Attribute("port"), (string?)g.Attribute("autoport"), (string?)g.Attribute("passwd")));
        string shown = VmXmlOptions.Redact(x.ToString());
        Assert.DoesNotContain("s3cret", shown);
        Assert.Contains($"passwd=\"{VmXmlOptions.Hidden}\"", shown);
        foreach (string port in new[] { "serial", "console" })
        {
            XElement p = x.Element("devices")!.Element(port)!;
            Assert.Equal(("unix", "bind", "/run/v.sock"), ((string?)p.Attribute("type"), (string?)p.Element("source")!.Attribute("mode"), (string?)p.Element("source")!.Attribute("path")));
        }
        XElement fs = x.Element("devices")!.Element("filesystem")!;
        Assert.Equal(("virtiofs", "/srv/share", "share"), ((string?)fs.Element("driver")!.Attribute("type"), (string?)fs.Element("source")!.Attribute("dir"), (string?)fs.Element("target")!.Attribute("dir")));
        XElement backing = x.Element("memoryBacking")!;
        Assert.Equal(("memfd", "shared"), ((string?)backing.Element("source")!.Attribute("type"), (string?)backing.Element("access")!.Attribute("mode")));
    }

    [Fact]
    public void Listen_none_has_no_port_and_tcp_serial_is_raw_on_loopback()
    {
        XElement x = Xml(Vm(new() { Serial = "tcp=127.0.0.1:4555" }) with { GraphicsListen = "none" });
        XElement g = x.Element("devices")!.Element("graphics")!;
        Assert.Null(g.Attribute("port"));
        Assert.Null(g.Attribute("autoport"));
        Assert.Equal("none", (string?)Assert.Single(g.Elements("listen")).Attribute("type"));
        XElement serial = x.Element("devices")!.Element("serial")!;
        Assert.Equal(("tcp", "127.0.0.1", "4555", "raw"), ((string?)serial.Attribute("type"), (string?)serial.Element("source")!.Attribute("host"),
            (string?)serial.Element("source")!.Attribute("service"), (string?)serial.Element("protocol")!.Attribute("type")));
        Assert.Equal("file", VmSerialText.Parse("v", "file=/var/log/v.log").Type);
    }

    [Fact]
    public void Finds_the_install_kernel_of_a_treeinfo_and_of_known_layouts()
    {
        string tree = Path.Combine(_dir, "fedora");
        Directory.CreateDirectory(Path.Combine(tree, "images", "pxeboot"));
        File.WriteAllText(Path.Combine(tree, "images", "pxeboot", "vmlinuz"), "k");
        File.WriteAllText(Path.Combine(tree, "images", "pxeboot", "initrd.img"), "i");
        File.WriteAllText(Path.Combine(tree, ".treeinfo"), "[general]\nfamily = Fedora\n[images-x86_64]\nkernel = images/pxeboot/vmlinuz\ninitrd = images/pxeboot/initrd.img\n");
        Assert.Equal(new VmLocation(Path.Combine(tree, "images/pxeboot/vmlinuz"), Path.Combine(tree, "images/pxeboot/initrd.img"), null), VmLocation.Find("v", tree, local: true));

        string ubuntu = Path.Combine(_dir, "ubuntu");
        Directory.CreateDirectory(Path.Combine(ubuntu, "casper"));
        File.WriteAllText(Path.Combine(ubuntu, "casper", "vmlinuz"), "k");
        File.WriteAllText(Path.Combine(ubuntu, "casper", "initrd"), "i");
        Assert.Equal(Path.Combine(ubuntu, "casper/vmlinuz"), VmLocation.Find("v", ubuntu, local: true).Kernel);
    }

    [Fact]
    public void Refuses_a_tree_it_cannot_read()
    {
        Assert.Equal("LocationNotRecognized", Assert.Throws<VmRequestException>(() => VmLocation.Find("v", _dir, local: true)).ErrorId);
        Assert.Equal("FileNotFound", Assert.Throws<VmRequestException>(() => VmLocation.Find("v", Path.Combine(_dir, "none"), local: true)).ErrorId);
        string iso = Path.Combine(_dir, "x.iso");
        File.WriteAllText(iso, "");
        Assert.Equal("LocationNotIso", Assert.Throws<VmRequestException>(() => VmLocation.Find("v", iso, local: true)).ErrorId);
        Assert.Equal("LocationNeedsPool", Assert.Throws<VmRequestException>(() => VmLocation.Find("v", _dir, local: false)).ErrorId);
        Assert.Equal("LocationNotRecognized", Assert.Throws<VmRequestException>(() => VmLocation.Find("v", _dir, local: false, pool: "p")).ErrorId);
    }
}

using System.Xml.Linq;
using KvmPS.Engine.Conversion;
using Xunit;

namespace KvmPS.Engine.Tests.Conversion;

/// <summary>ConvertFrom-KvmQemuCommandLine's parser: the seed's command lines, libvirt's own output, unknown options and malformed values.</summary>
public class QemuCommandLineTests
{
    private static XElement Domain(KvmQemuVMDefinition d) => XElement.Parse(d.Xml);

    private static KvmQemuVMDefinition FromFile(string name, string? vmName = null) =>
        QemuConversion.FromCommandLine(new[] { File.ReadAllText(KubeVirtSchemas.Kubevirt(name)) }, vmName);

    [Fact]
    public void Case3_hpc_line_carries_exactly_its_settings()
    {
        var d = FromFile("qemu-case3-hpc.sh");
        Assert.Empty(d.Unknown);
        XElement x = Domain(d);
        Assert.Equal("kvm", (string?)x.Attribute("type"));
        Assert.Equal("hpc-node01", (string?)x.Element("name"));
        Assert.Equal("q35", (string?)x.Element("os")!.Element("type")!.Attribute("machine"));
        Assert.Equal(16UL << 20, (ulong)x.Element("memory")!);
        Assert.Equal("8", x.Element("vcpu")!.Value);
        XElement cpu = x.Element("cpu")!;
        Assert.Equal("host-passthrough", (string?)cpu.Attribute("mode"));
        var topo = cpu.Element("topology")!;
        Assert.Equal(("2", "4", "1"), ((string?)topo.Attribute("sockets"), (string?)topo.Attribute("cores"), (string?)topo.Attribute("threads")));
        var feature = Assert.Single(cpu.Elements("feature"));
        Assert.Equal(("require", "x2apic"), ((string?)feature.Attribute("policy"), (string?)feature.Attribute("name")));
        var cells = cpu.Element("numa")!.Elements("cell").ToList();
        Assert.Equal(new[] { "0-3", "4-7" }, cells.Select(c => (string?)c.Attribute("cpus")));
        Assert.All(cells, c => Assert.Equal(8UL << 20, (ulong)c.Attribute("memory")!));
        var disk = Assert.Single(x.Element("devices")!.Elements("disk"));
        Assert.Equal(("raw", "none", "native"), ((string?)disk.Element("driver")!.Attribute("type"), (string?)disk.Element("driver")!.Attribute("cache"), (string?)disk.Element("driver")!.Attribute("io")));
        Assert.Equal("virtio", (string?)disk.Element("target")!.Attribute("bus"));
        var nic = Assert.Single(x.Element("devices")!.Elements("interface"));
        Assert.Equal("ethernet", (string?)nic.Attribute("type"));
        Assert.Equal("tap-hpc0", (string?)nic.Element("target")!.Attribute("dev"));
        Assert.Equal("virtio", (string?)nic.Element("model")!.Attribute("type"));
        Assert.Equal("52:54:00:4a:11:01", (string?)nic.Element("mac")!.Attribute("address"));
        var hostdev = Assert.Single(x.Element("devices")!.Elements("hostdev"));
        var a = hostdev.Element("source")!.Element("address")!;
        Assert.Equal(("0x0000", "0x01", "0x00", "0x0"), ((string?)a.Attribute("domain"), (string?)a.Attribute("bus"), (string?)a.Attribute("slot"), (string?)a.Attribute("function")));
        Assert.Empty(x.Element("devices")!.Elements("graphics"));
        Assert.Single(x.Element("devices")!.Elements("serial"));
    }

    [Fact]
    public void Edge_line_carries_direct_boot_disk_and_tap()
    {
        var d = FromFile("qemu-7.3-edge.sh", "edge");
        Assert.Empty(d.Unknown);
        XElement x = Domain(d);
        Assert.Equal("edge", (string?)x.Element("name"));
        Assert.Equal("kvm", (string?)x.Attribute("type"));
        XElement os = x.Element("os")!;
        Assert.Equal("/var/lib/edge/vmlinuz", (string?)os.Element("kernel"));
        Assert.Equal("/var/lib/edge/initrd.img", (string?)os.Element("initrd"));
        Assert.Equal("console=ttyS0 root=/dev/vda rw quiet", (string?)os.Element("cmdline"));
        Assert.Equal(2048UL * 1024, (ulong)x.Element("memory")!);
        var disk = Assert.Single(x.Element("devices")!.Elements("disk"));
        Assert.Equal(("qcow2", "writeback"), ((string?)disk.Element("driver")!.Attribute("type"), (string?)disk.Element("driver")!.Attribute("cache")));
        Assert.Equal("tap-edge0", (string?)x.Element("devices")!.Element("interface")!.Element("target")!.Attribute("dev"));
        Assert.Equal("x2apic", (string?)x.Element("cpu")!.Element("feature")!.Attribute("name"));
        Assert.Equal("pty", (string?)x.Element("devices")!.Element("serial")!.Attribute("type"));
    }

    [Fact]
    public void Reads_libvirts_own_json_output()
    {
        // The shape libvirt 9's qemu-argv has: environment, JSON -blockdev/-device/-netdev, plumbing options.
        string line = "LC_ALL=C PATH=/usr/bin HOME=/var/lib/libvirt/qemu/domain--1-rt /usr/bin/qemu-system-x86_64 -name guest=rt,debug-threads=on -S " +
            "-object '{\"qom-type\":\"secret\",\"id\":\"masterKey0\",\"format\":\"raw\",\"file\":\"/x/master-key.aes\"}' " +
            "-machine pc-q35-7.2,usb=off,dump-guest-core=off,memory-backend=pc.ram -accel tcg -cpu qemu64,+x2apic -m 512 " +
            "-object '{\"qom-type\":\"memory-backend-ram\",\"id\":\"pc.ram\",\"size\":536870912}' -overcommit mem-lock=off " +
            "-smp 2,sockets=1,dies=1,cores=2,threads=1 -uuid 2b0c5f52-8b0e-4b0d-9d3c-0d1f1a2b3c4d -display none -no-user-config -nodefaults " +
            "-chardev socket,id=charmonitor,fd=30,server=on,wait=off -mon chardev=charmonitor,id=monitor,mode=control -rtc base=utc -no-shutdown -boot strict=on " +
            "-blockdev '{\"driver\":\"file\",\"filename\":\"/img/rt.qcow2\",\"node-name\":\"libvirt-1-storage\",\"auto-read-only\":true,\"discard\":\"unmap\",\"cache\":{\"direct\":true,\"no-flush\":false},\"aio\":\"native\"}' " +
            "-blockdev '{\"node-name\":\"libvirt-1-format\",\"read-only\":false,\"cache\":{\"direct\":true,\"no-flush\":false},\"driver\":\"qcow2\",\"file\":\"libvirt-1-storage\"}' " +
            "-device '{\"driver\":\"virtio-blk-pci\",\"bus\":\"pci.3\",\"addr\":\"0x0\",\"drive\":\"libvirt-1-format\",\"id\":\"virtio-disk0\",\"bootindex\":1,\"write-cache\":\"on\"}' " +
            "-netdev '{\"type\":\"tap\",\"fd\":\"33\",\"vhost\":true,\"vhostfd\":\"35\",\"id\":\"hostnet0\"}' " +
            "-device '{\"driver\":\"virtio-net-pci\",\"netdev\":\"hostnet0\",\"id\":\"net0\",\"mac\":\"52:54:00:12:34:56\",\"bus\":\"pci.1\",\"addr\":\"0x0\"}' " +
            "-chardev pty,id=charserial0 -device '{\"driver\":\"isa-serial\",\"chardev\":\"charserial0\",\"id\":\"serial0\",\"index\":0}' " +
            "-audiodev '{\"id\":\"audio1\",\"driver\":\"none\"}' -sandbox on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny -msg timestamp=on";
        var d = QemuConversion.FromCommandLine(new[] { line }, null);
        XElement x = Domain(d);
        Assert.Equal("rt", d.Name);
        Assert.Equal("qemu", d.DomainType);
        Assert.Equal("2b0c5f52-8b0e-4b0d-9d3c-0d1f1a2b3c4d", (string?)x.Element("uuid"));
        var disk = Assert.Single(x.Element("devices")!.Elements("disk"));
        Assert.Equal("/img/rt.qcow2", (string?)disk.Element("source")!.Attribute("file"));
        Assert.Equal(("qcow2", "none", "native"), ((string?)disk.Element("driver")!.Attribute("type"), (string?)disk.Element("driver")!.Attribute("cache"), (string?)disk.Element("driver")!.Attribute("io")));
        Assert.Equal("1", (string?)disk.Element("boot")!.Attribute("order"));
        Assert.Equal("52:54:00:12:34:56", (string?)x.Element("devices")!.Element("interface")!.Element("mac")!.Attribute("address"));
        // The tap came as a file descriptor: said so, not hidden.
        Assert.Contains("file descriptor", Assert.Single(d.Unknown));
    }

    [Fact]
    public void Unknown_options_are_reported_with_their_values()
    {
        var d = QemuConversion.FromCommandLine(new[] { "qemu-system-x86_64 -m 1G -frobnicate yes -device ich9-intel-hda -netdev socket,id=s0,listen=:1234 -drive file=/a.img,if=none,id=d9" }, "x");
        Assert.Contains("-frobnicate yes", d.Unknown);
        Assert.Contains(d.Unknown, u => u.StartsWith("-device ich9-intel-hda", StringComparison.Ordinal));
        Assert.Contains(d.Unknown, u => u.Contains("socket") && u.Contains("only user, tap and bridge"));
        Assert.Contains(d.Unknown, u => u.Contains("no -device uses it"));
        Assert.Empty(Domain(d).Element("devices")!.Elements("disk"));
    }

    [Theory]
    [InlineData("qemu-system-x86_64 -m lots", "QemuBadMemory")]
    [InlineData("qemu-system-x86_64 -smp 8,sockets=2,cores=3", "QemuBadSmp")]
    [InlineData("qemu-system-x86_64 -smp x", "QemuBadSmp")]
    [InlineData("qemu-system-x86_64 -smp 4,sockets=2,cores=2,bananas=1", "QemuBadSmp")]
    [InlineData("qemu-system-x86_64 -m 4G -smp 4 -numa node,cpus=0-1,mem=2G -numa node,cpus=2-3,mem=1G", "QemuBadNuma")]
    [InlineData("qemu-system-x86_64 -m 2G -smp 2 -numa node,cpus=0-5,mem=2G", "QemuBadNuma")]
    [InlineData("qemu-system-x86_64 -numa node,cpus=a-b,mem=1G", "QemuBadNuma")]
    [InlineData("qemu-system-x86_64 -numa node,cpus=0,memdev=nothere", "QemuBadNuma")]
    [InlineData("qemu-system-x86_64 -device vfio-pci,host=zz:00.0", "QemuBadPciAddress")]
    [InlineData("qemu-system-x86_64 -device virtio-net-pci,netdev=n9", "QemuUnknownNetdev")]
    [InlineData("qemu-system-x86_64 -netdev user,id=n0 -device virtio-net-pci,netdev=n0,mac=52:54:zz:00:00:01", "QemuBadMac")]
    [InlineData("qemu-system-x86_64 -drive if=virtio,format=raw", "QemuBadDrive")]
    [InlineData("qemu-system-x86_64 -drive file=/a,cache=sometimes", "QemuBadDrive")]
    [InlineData("qemu-system-x86_64 -device virtio-blk-pci,drive=nothere", "QemuUnknownDrive")]
    [InlineData("qemu-system-x86_64 -uuid not-a-uuid", "QemuBadUuid")]
    [InlineData("qemu-system-x86_64 -m", "QemuMissingValue")]
    [InlineData("qemu-system-x86_64 -append 'console=ttyS0", "QemuBadQuoting")]
    [InlineData("qemu-system-x86_64 -device '{\"driver\":\"virtio-blk-pci\"'", "QemuBadJson")]
    [InlineData("qemu-system-x86_64 -cpu host,+x2ap!c", "QemuBadCpuFlag")]
    [InlineData("qemu-system-x86_64 -vnc nowhere", "QemuBadDisplay")]
    public void Malformed_values_fail_with_a_stable_error_id(string line, string errorId)
    {
        var e = Assert.Throws<QemuCommandLineException>(() => QemuConversion.FromCommandLine(new[] { line }, "x"));
        Assert.Equal(errorId, e.ErrorId);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Fact]
    public void Words_split_like_a_shell()
    {
        Assert.Equal(new[] { "-append", "a b \"c\"", "-name", "x y", "-m", "1G" }, QemuWords.Split("-append 'a b \"c\"' \\\n -name \"x y\" -m\t1G"));
        Assert.Equal(new[] { "-drive", "file=/a,,b.img,if=virtio" }, QemuWords.Split("-drive file=/a,,b.img,if=virtio"));
        Assert.Equal("/a,b.img", QemuOptionValue.Parse("-drive", "file=/a,,b.img,if=virtio")["file"]);
    }

    [Theory]
    [InlineData("-smp 6", 6, null)]
    [InlineData("-smp cpus=4,maxcpus=8,sockets=2,cores=4", 4, 2)]
    [InlineData("-smp cores=2,threads=2", 4, 1)]
    [InlineData("-smp 8,cores=4", 8, 2)]
    public void Smp_fills_in_what_qemu_fills_in(string smp, int vcpus, int? sockets)
    {
        var vm = QemuCommandLineParser.Parse(QemuWords.Split("qemu-system-x86_64 " + smp));
        Assert.Equal(vcpus, vm.VCpus);
        Assert.Equal(sockets, vm.Sockets);
    }
}

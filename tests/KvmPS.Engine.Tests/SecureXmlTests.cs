using System.Xml;
using System.Xml.Linq;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;
using KvmPS.Engine.Tuning;
using Xunit;

namespace KvmPS.Engine.Tests;

// Every path of the engine that redefines a VM keeps what libvirt shows only with the secure flag
// (graphics passwords): a private copy of the SMT fixture host per test, a VM with a VNC or SPICE
// password, one edit per path, then the secure definition before and after compared.
public sealed class SecureXmlTests : IDisposable
{
    private const string Vm = "pw1";
    private readonly string _hostFile;

    public SecureXmlTests()
    {
        _hostFile = Path.Combine(Path.GetTempPath(), $"kvmps-secure-{Guid.NewGuid():N}.xml");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "fixtures", "testdriver", "smt-host.xml"), _hostFile);
    }

    public void Dispose() => File.Delete(_hostFile);

    private LibvirtConnection Open() => LibvirtConnection.Open("test://" + _hostFile);

    private static string Graphics(string type) => type == "vnc"
        ? "<graphics type='vnc' port='-1' passwd='s3cret' passwdValidTo='2030-01-01T00:00:00'/>"
        : "<graphics type='spice' port='-1' passwd='s3cret' passwdValidTo='2030-01-01T00:00:00' connected='keep'/>";

    private static DomainHandle DefineWithPassword(LibvirtConnection conn, string type, bool start)
    {
        DomainHandle h = DomainService.Define(conn,
            $"<domain type='test'><name>{Vm}</name><memory unit='KiB'>1048576</memory><currentMemory unit='KiB'>1048576</currentMemory>"
            + "<vcpu placement='static'>2</vcpu><os><type arch='x86_64'>hvm</type></os><devices>"
            + "<disk type='file' device='disk'><source file='/img/a.qcow2'/><target dev='vda' bus='virtio'/></disk>"
            + "<interface type='network'><mac address='52:54:00:aa:00:01'/><source network='default'/></interface>"
            + Graphics(type) + "</devices></domain>");
        if (start)
        {
            DomainService.Start(h);
        }
        return h;
    }

    // Read with the flags themselves, not through the helper under test.
    private static XElement Secure(DomainHandle h) =>
        SafeXml.Parse(LibvirtConnection.GetXml(h, Libvirt.VIR_DOMAIN_XML_SECURE | Libvirt.VIR_DOMAIN_XML_INACTIVE));

    /// <summary>The graphics element keeps its password, and nothing outside <paramref name="changed"/> (top-level children; "devices" compared without <paramref name="changedDevice"/>) differs.</summary>
    private static void AssertKept(XElement before, XElement after, string[] changed, Func<XElement, bool>? changedDevice = null)
    {
        XElement g = Assert.Single(after.Element("devices")!.Elements("graphics"));
        Assert.Equal("s3cret", (string?)g.Attribute("passwd"));
        Assert.Equal("2030-01-01T00:00:00", (string?)g.Attribute("passwdValidTo"));
        Assert.True(XNode.DeepEquals(before.Element("devices")!.Element("graphics"), g));

        static IEnumerable<string> Rest(XElement d, string[] changed, Func<XElement, bool>? changedDevice) =>
            d.Elements().Where(e => !changed.Contains(e.Name.LocalName)).Select(e =>
                e.Name == "devices"
                    ? new XElement("devices", e.Elements().Where(x => changedDevice is null || !changedDevice(x))).ToString()
                    : e.ToString());
        Assert.Equal(Rest(before, changed, changedDevice), Rest(after, changed, changedDevice));
    }

    public static TheoryData<string, bool> Cases() => new()
    {
        { "vnc", false }, { "vnc", true }, { "spice", false }, { "spice", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Cpu_numa_and_memory_edits_keep_the_password(string type, bool running)
    {
        using var conn = Open();
        using var h = DefineWithPassword(conn, type, running);

        XElement before = Secure(h);
        DomainEditor.EditConfig(conn, h, d => CpuXml.Apply(d, new CpuChange { Mode = KvmCpuMode.HostPassthrough, Sockets = 1, Cores = 2, Threads = 1 }, null));
        XElement after = Secure(h);
        Assert.Equal("host-passthrough", (string?)after.Element("cpu")!.Attribute("mode"));
        AssertKept(before, after, new[] { "cpu" });

        before = after;
        DomainEditor.EditConfig(conn, h, d => NumaXml.Apply(d, new NumaChange { HostNode = "0" }, new HashSet<int> { 0, 1 }));
        after = Secure(h);
        Assert.NotNull(after.Element("numatune"));
        AssertKept(before, after, new[] { "numatune" });

        before = after;
        DomainEditor.EditConfig(conn, h, d => MemoryXml.Apply(d, new MemoryChange { MemoryBytes = 1UL << 30 }, new ulong[] { 4, 2048 }));
        after = Secure(h);
        AssertKept(before, after, Array.Empty<string>());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Pins_and_the_vm_settings_keep_the_password(string type, bool running)
    {
        using var conn = Open();
        using var h = DefineWithPassword(conn, type, running);

        XElement before = Secure(h);
        PinApplier.Apply(conn, h, PinApplier.Plan(conn, h, Vm, new PinChangeRequest { VCpu = 0, HostCpu = "2" }));
        XElement after = Secure(h);
        Assert.Equal(new[] { 2 }, CpuTuneXml.Read(after).VCpus[0]);
        AssertKept(before, after, new[] { "cputune" });

        // Set-KvmVM's calls: the same vCPU count and memory again, then a new vCPU count.
        before = after;
        DomainService.SetVcpus(h, 2, live: false, config: true, maximum: false);
        DomainService.SetMemory(h, 1048576, live: false, config: true, maximum: true);
        AssertKept(before, Secure(h), Array.Empty<string>());
        DomainService.SetVcpus(h, 3, live: false, config: true, maximum: true);
        after = Secure(h);
        Assert.Equal("3", after.Element("vcpu")!.Value);
        AssertKept(before, after, new[] { "vcpu", "cputune" });
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Disk_and_nic_changes_keep_the_password(string type, bool running)
    {
        using var conn = Open();
        using var h = DefineWithPassword(conn, type, running);
        bool IsNewDisk(XElement e) => e.Name == "disk" && (string?)e.Element("target")?.Attribute("dev") == "vdb";
        bool IsNewNic(XElement e) => e.Name == "interface" && (string?)e.Element("mac")?.Attribute("address") == "52:54:00:aa:00:02";
        bool IsOldNic(XElement e) => e.Name == "interface" && (string?)e.Element("mac")?.Attribute("address") == "52:54:00:aa:00:01";

        XElement before = Secure(h);
        DeviceService.Add(conn, h, new[] { DeviceXml.BuildDisk(new DiskSpec { Path = "/img/b.qcow2", Format = "qcow2", Target = "vdb" }) });
        XElement after = Secure(h);
        Assert.NotNull(DeviceXml.FindDisk(after, "vdb"));
        AssertKept(before, after, Array.Empty<string>(), IsNewDisk);

        Assert.NotNull(DeviceService.Remove(conn, h, d => DeviceXml.FindDisk(d, "vdb")));
        after = Secure(h);
        Assert.Null(DeviceXml.FindDisk(after, "vdb"));
        AssertKept(before, after, Array.Empty<string>());

        DeviceService.Add(conn, h, new[] { DeviceXml.BuildNic(new NicSpec { Network = "default", MacAddress = "52:54:00:aa:00:02" }) });
        after = Secure(h);
        Assert.NotNull(DeviceXml.FindNic(after, "52:54:00:aa:00:02"));
        AssertKept(before, after, Array.Empty<string>(), IsNewNic);

        before = after;
        Assert.NotNull(DeviceService.Change(conn, h, d => DeviceXml.FindNic(d, "52:54:00:aa:00:01"),
            n => DeviceXml.SetLinkState(n, KvmLinkState.Down), n => DeviceXml.SetLinkState(n, KvmLinkState.Down)));
        after = Secure(h);
        Assert.Equal("down", (string?)DeviceXml.FindNic(after, "52:54:00:aa:00:01")!.Element("link")?.Attribute("state"));
        AssertKept(before, after, Array.Empty<string>(), IsOldNic);

        before = after;
        Assert.NotNull(DeviceService.Remove(conn, h, d => DeviceXml.FindNic(d, "52:54:00:aa:00:02")));
        after = Secure(h);
        Assert.Null(DeviceXml.FindNic(after, "52:54:00:aa:00:02"));
        AssertKept(before, after, Array.Empty<string>(), IsNewNic);
    }

    [Fact]
    public void Reads_for_display_leave_the_password_out_and_the_edit_read_has_it()
    {
        using var conn = Open();
        using var h = DefineWithPassword(conn, "vnc", start: false);
        Assert.DoesNotContain("s3cret", DomainService.GetInactiveXml(h));
        Assert.DoesNotContain("s3cret", DomainService.Get(conn, h).Xml);
        Assert.DoesNotContain("s3cret", DomainService.GetXmlForExport(h, includeSecrets: false));
        Assert.Contains("passwd='s3cret'", DomainService.GetXmlForExport(h, includeSecrets: true));
        Assert.Contains("passwd='s3cret'", DomainService.GetXmlForEdit(h, inactive: true));
        Assert.Equal("s3cret", (string?)DomainEditor.ReadConfig(h).Element("devices")!.Element("graphics")!.Attribute("passwd"));
    }

    [Theory]
    [InlineData("<!DOCTYPE domain [<!ENTITY x 'boom'>]><domain><name>&x;</name></domain>")]
    [InlineData("<!DOCTYPE domain SYSTEM 'file:///etc/passwd'><domain><name>a</name></domain>")]
    [InlineData("<?xml version='1.0'?><!DOCTYPE domain [<!ENTITY a 'aaaa'><!ENTITY b '&a;&a;&a;&a;'>]><domain>&b;</domain>")]
    public void The_shared_parser_refuses_a_dtd(string text)
    {
        var e = Assert.Throws<XmlException>(() => SafeXml.Parse(text));
        Assert.Contains("DTD", e.Message);
    }

    [Fact]
    public void The_shared_parser_reads_as_XElement_Parse_does()
    {
        const string text = "<?xml version='1.0'?>\n<domain type='test'>\n  <name>a</name>\n  <!-- c -->\n  <memory unit='KiB'>1024</memory>\n</domain>";
        XElement safe = SafeXml.Parse(text);
        Assert.True(XNode.DeepEquals(XElement.Parse(text), safe));
        Assert.Equal("a", (string?)safe.Element("name"));
        Assert.Throws<XmlException>(() => SafeXml.Parse("<domain>"));
    }
}

using System.Xml.Linq;
using KvmPS.Engine.Domains;
using Xunit;

namespace KvmPS.Engine.Tests;

// Tests that change a host use a private test-driver host (a custom file): every open
// connection to test:///default in a process shares one in-memory state.
public class DomainTests
{
    private static string PrivateHost =>
        "test://" + Path.Combine(AppContext.BaseDirectory, "fixtures", "testdriver", "two-vms.xml");

    [Fact]
    public void Bulk_listing_reads_state_autostart_and_persistence()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        var vms = DomainService.ListAll(conn);
        KvmVM test = Assert.Single(vms);
        Assert.Equal("test", test.Name);
        Assert.Equal(KvmVMState.Running, test.State);
        Assert.True(test.Persistent);
        Assert.Equal(test.Uuid, DomainService.Get(conn, "test").Uuid);
    }

    [Fact]
    public void Editing_the_config_redefines_and_a_rejected_edit_changes_nothing()
    {
        using var conn = LibvirtConnection.Open(PrivateHost);
        using var h = conn.LookupDomain("alpha");
        DomainEditor.EditConfig(conn, h, d => d.Element("description")?.Remove());
        DomainEditor.EditConfig(conn, h, d => d.AddFirst(new XElement("description", "edited")));
        // The VM runs: the edit reaches its persistent definition (next start), not the live one.
        Assert.Equal("edited", (string?)XElement.Parse(DomainService.GetInactiveXml(h)).Element("description"));
        Assert.Null(DomainService.Get(conn, "alpha").Description);

        string before = DomainService.GetInactiveXml(h);
        Assert.Throws<LibvirtException>(() => DomainEditor.EditConfig(conn, h, d => d.Element("memory")!.Value = "not-a-number"));
        Assert.Equal(before, DomainService.GetInactiveXml(h));
    }

    [Fact]
    public void Builder_output_defines_on_the_test_driver_and_reads_back()
    {
        using var conn = LibvirtConnection.Open(PrivateHost);
        var spec = new VmSpec
        {
            Name = "built", MemoryBytes = 256UL << 20, VCpuCount = 2, DomainType = "test", IsQemu = false,
            Nics = { new VmNicSpec { Bridge = "br0", MacAddress = "52:54:00:00:00:01" } },
            OsId = "http://ubuntu.com/ubuntu/22.04", Description = "d",
        };
        using var h = DomainService.Define(conn, DomainXmlBuilder.Build(spec).ToString());
        KvmVM vm = DomainService.Get(conn, h);
        Assert.Equal(2, vm.VCpuCount);
        Assert.Equal(256UL << 20, vm.MemoryBytes);
        Assert.Equal("52:54:00:00:00:01", vm.NetworkAdapters[0].MacAddress);
        Assert.Equal("http://ubuntu.com/ubuntu/22.04", vm.OSVariantUri);
        Assert.Equal("ubuntu22.04", vm.OSVariant);
    }

    [Fact]
    public void Builder_writes_virt_install_defaults_for_qemu()
    {
        var spec = new VmSpec
        {
            Name = "q", MemoryBytes = 1UL << 30, VCpuCount = 2, DomainType = "kvm", Machine = "q35", CpuMode = "host-passthrough",
            Disks = { new VmDiskSpec { Path = "/i/q.qcow2", Owned = true }, new VmDiskSpec { Path = "/i/x.iso", Device = "cdrom", Format = "raw" } },
            Nics = { new VmNicSpec { Bridge = "br0" } }, CdromFirst = true, SerialLogPath = "/log/q.log",
        };
        XElement d = DomainXmlBuilder.Build(spec);
        Assert.Equal(new[] { "cdrom", "hd" }, d.Element("os")!.Elements("boot").Select(b => (string?)b.Attribute("dev")));
        Assert.NotNull(d.Element("features")!.Element("acpi"));
        Assert.NotNull(d.Element("features")!.Element("apic"));
        var disks = d.Element("devices")!.Elements("disk").ToList();
        Assert.Equal("vda", (string?)disks[0].Element("target")!.Attribute("dev"));
        Assert.Equal("unmap", (string?)disks[0].Element("driver")!.Attribute("discard"));
        Assert.Equal("sata", (string?)disks[1].Element("target")!.Attribute("bus"));
        Assert.NotNull(disks[1].Element("readonly"));
        Assert.Equal(14, d.Element("devices")!.Elements("controller").Count(c => (string?)c.Attribute("model") == "pcie-root-port"));
        Assert.Equal("bridge", (string?)d.Element("devices")!.Element("interface")!.Attribute("type"));
        Assert.Equal("/log/q.log", (string?)d.Element("devices")!.Element("serial")!.Element("log")!.Attribute("file"));
        Assert.Equal("virtio", (string?)d.Element("devices")!.Element("memballoon")!.Attribute("model"));
        Assert.Contains(DomainXml.OwnedPaths(d), p => p == "/i/q.qcow2");
        Assert.DoesNotContain(DomainXml.OwnedPaths(d), p => p == "/i/x.iso");
    }

    [FactNeedsOsInfo]
    public void OsInfo_follows_virt_install_rules()
    {
        var db = OsInfoDatabase.Default;
        var ubuntu = db.Find("ubuntu22.04")!;
        Assert.True(db.SupportsQ35(ubuntu));
        Assert.True(db.SupportsVirtioDisk(ubuntu));
        var win2k = db.Find("win2k");
        if (win2k is not null)
        {
            Assert.False(db.SupportsVirtioNet(win2k));
        }
        Assert.Contains("ubuntu22.04", db.Suggest("ubuntu2204"));
        Assert.Same(ubuntu, db.Find("http://ubuntu.com/ubuntu/22.04"));
    }
}

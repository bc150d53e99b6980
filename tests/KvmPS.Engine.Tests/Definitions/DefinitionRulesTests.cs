using System.Text;
using System.Xml.Linq;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Tuning;
using Xunit;

namespace KvmPS.Engine.Tests.Definitions;

// The pure rules for definitions written elsewhere: text decoding, vCPU counts, memory devices,
// page sizes, device sources, feature-name hints.
public sealed class DefinitionRulesTests
{
    [Fact]
    public void Decode_refuses_bytes_that_are_not_utf8()
    {
        byte[] bytes = Encoding.Latin1.GetBytes("<domain><name>caf\u00e9</name></domain>");
        var e = Assert.Throws<DomainXmlTextException>(() => DomainXmlText.Decode(bytes));
        Assert.Equal("DomainXmlNotUtf8", e.ErrorId);
        Assert.Contains("byte offset 17", e.Message);
    }

    [Fact]
    public void Decode_drops_a_utf8_bom_and_refuses_utf16()
    {
        byte[] withBom = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("<a>\u00e9</a>")).ToArray();
        Assert.Equal("<a>\u00e9</a>", DomainXmlText.Decode(withBom));
        byte[] utf16 = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("<a/>")).ToArray();
        Assert.Equal("DomainXmlNotUtf8", Assert.Throws<DomainXmlTextException>(() => DomainXmlText.Decode(utf16)).ErrorId);
    }

    [Theory]
    [InlineData("<?xml version='1.0' encoding='ISO-8859-1'?><a/>", false)]
    [InlineData("<?xml version=\"1.0\" encoding=\"windows-1252\"?><a>\u00e9</a>", false)]
    [InlineData("<?xml version='1.0' encoding='US-ASCII'?><a>\u00e9</a>", false)]
    [InlineData("<?xml version='1.0' encoding='US-ASCII'?><a>e</a>", true)]
    [InlineData("<?xml version='1.0' encoding='UTF-8'?><a>\u00e9</a>", true)]
    [InlineData("<?xml version='1.0'?><a>\u00e9</a>", true)]
    [InlineData("<a>\u00e9</a>", true)]
    public void CheckDeclaration_takes_only_utf8(string text, bool accepted)
    {
        if (accepted)
        {
            DomainXmlText.CheckDeclaration(text);
        }
        else
        {
            Assert.Equal("DomainXmlEncodingNotUtf8", Assert.Throws<DomainXmlTextException>(() => DomainXmlText.CheckDeclaration(text)).ErrorId);
        }
    }

    [Fact]
    public void DropOwnership_removes_only_the_kvmps_record()
    {
        XElement d = XElement.Parse("<domain><metadata><kvmps:kvmps xmlns:kvmps='https://kvmps.dev/xmlns/domain/1'><kvmps:owned path='/a' owner='x'/><kvmps:owned path='/b' owner='x'/></kvmps:kvmps>"
            + "<app:x xmlns:app='urn:app'/></metadata></domain>");
        Assert.Equal(2, DomainXmlText.DropOwnership(d));
        Assert.Single(d.Element("metadata")!.Elements());
        Assert.Equal(0, DomainXmlText.DropOwnership(d));
    }

    [Fact]
    public void DropOwnership_keeps_the_rest_of_the_kvmps_record()
    {
        XElement d = XElement.Parse("<domain><metadata><kvmps:kvmps xmlns:kvmps='https://kvmps.dev/xmlns/domain/1'><kvmps:os short-id='ubuntu22.04'/>"
            + "<kvmps:owned path='/a' owner='x'/></kvmps:kvmps></metadata></domain>");
        Assert.Equal(1, DomainXmlText.DropOwnership(d));
        XElement record = Assert.Single(d.Element("metadata")!.Elements());
        Assert.Equal("ubuntu22.04", (string?)record.Element(DomainXml.KvmPSNs + "os")?.Attribute("short-id"));
        Assert.Empty(record.Elements(DomainXml.KvmPSNs + "owned"));
    }

    private static XElement Vcpu(string vcpu, string cpu = "") =>
        XElement.Parse($"<domain><name>v</name>{vcpu}<cpu>{cpu}</cpu></domain>");

    [Theory]
    [InlineData("<vcpu current='2'>4</vcpu>", 2, 4, 2)]
    [InlineData("<vcpu current='2'>4</vcpu>", 3, 4, 3)]
    [InlineData("<vcpu current='2'>4</vcpu>", 6, 6, 6)]
    [InlineData("<vcpu>4</vcpu>", 2, 2, 2)]
    [InlineData("<vcpu>2</vcpu>", 8, 8, 8)]
    public void VCpuCountPlan_keeps_hotplug_room(string vcpu, int count, int max, int current) =>
        Assert.Equal((max, current), VCpuCountPlan.Plan(Vcpu(vcpu), count, "v"));

    [Fact]
    public void VCpuCountPlan_checks_topology_and_numa_before_anything()
    {
        var topo = Vcpu("<vcpu>4</vcpu>", "<topology sockets='1' dies='1' cores='2' threads='2'/>");
        Assert.Equal("TopologyMismatch", Assert.Throws<VmRequestException>(() => VCpuCountPlan.Plan(topo, 3, "v")).ErrorId);
        Assert.Equal((4, 4), VCpuCountPlan.Plan(topo, 4, "v"));
        // Hot-plug room inside the topology: the maximum stays, so the count fits.
        Assert.Equal((4, 3), VCpuCountPlan.Plan(Vcpu("<vcpu current='2'>4</vcpu>", "<topology sockets='1' cores='2' threads='2'/>"), 3, "v"));
        var numa = Vcpu("<vcpu>4</vcpu>", "<numa><cell id='0' cpus='0-1' memory='1024'/><cell id='1' cpus='2-3' memory='1024'/></numa>");
        Assert.Equal("NumaCellsDoNotMatchVCpus", Assert.Throws<VmRequestException>(() => VCpuCountPlan.Plan(numa, 2, "v")).ErrorId);
    }

    [Fact]
    public void VCpuCountPlan_steps_keep_current_within_maximum()
    {
        Assert.Equal(new[] { (4, true), (4, false) }, VCpuCountPlan.Steps((2, 2), (4, 4)));
        Assert.Equal(new[] { (2, false), (2, true) }, VCpuCountPlan.Steps((4, 4), (2, 2)));
        Assert.Equal(new[] { (3, false) }, VCpuCountPlan.Steps((4, 2), (4, 3)));
        Assert.Empty(VCpuCountPlan.Steps((4, 2), (4, 2)));
    }

    private const string Dimm = "<domain><memory unit='KiB'>1572864</memory><currentMemory unit='KiB'>1572864</currentMemory><vcpu>2</vcpu>"
        + "<cpu><numa><cell id='0' cpus='0' memory='524288' unit='KiB'/><cell id='1' cpus='1' memory='524288' unit='KiB'/></numa></cpu>"
        + "<devices><memory model='dimm'><target><size unit='MiB'>512</size><node>0</node></target></memory></devices></domain>";

    [Fact]
    public void Memory_devices_count_toward_memory()
    {
        XElement d = XElement.Parse(Dimm);
        Assert.Equal(524288UL, MemoryXml.MemoryDevicesKiB(d));
        MemoryXml.Apply(d, new MemoryChange { MemoryBytes = 1572864UL * 1024 }, new ulong[] { 4, 2048 });
        var e = Assert.Throws<TuningException>(() => MemoryXml.Apply(XElement.Parse(Dimm), new MemoryChange { MemoryBytes = 1048576UL * 1024 }, new ulong[] { 4, 2048 }));
        Assert.Equal("MemoryDoesNotMatchNumaCells", e.ErrorId);
    }

    [Fact]
    public void Memory_not_in_whole_pages_is_refused_only_when_it_changes()
    {
        const string odd = "<domain><memory unit='KiB'>525312</memory><memoryBacking><hugepages><page size='2048' unit='KiB'/></hugepages></memoryBacking></domain>";
        MemoryXml.Apply(XElement.Parse(odd), new MemoryChange { MemoryBytes = 525312UL * 1024, HugePageBytes = 2048UL * 1024 }, new ulong[] { 4, 2048 });
        var e = Assert.Throws<TuningException>(() => MemoryXml.Apply(XElement.Parse(odd), new MemoryChange { MemoryBytes = 527360UL * 1024 }, new ulong[] { 4, 2048 }));
        Assert.Equal("MemoryNotPageAligned", e.ErrorId);
    }

    [Fact]
    public void Several_page_sizes_read_as_several_and_survive_a_same_size_request()
    {
        XElement d = XElement.Parse("<domain><memory unit='KiB'>2097152</memory><memoryBacking><hugepages>"
            + "<page size='1' unit='G' nodeset='1'/><page size='1' unit='G' nodeset='0'/></hugepages></memoryBacking></domain>");
        var pages = MemoryXml.Read(d, "v", "u", true).HugePageSizes;
        Assert.Equal(new[] { "1", "0" }, pages.Select(p => p.NodeSet));
        Assert.All(pages, p => Assert.Equal(1UL << 30, p.PageSizeBytes));
        MemoryXml.Apply(d, new MemoryChange { HugePageBytes = 1UL << 30 }, new ulong[] { 4, 2048, 1048576 });
        Assert.Equal(2, d.Element("memoryBacking")!.Element("hugepages")!.Elements("page").Count());
        XElement mixed = XElement.Parse("<domain><memoryBacking><hugepages><page size='2048' unit='KiB' nodeset='0'/><page size='1048576' unit='KiB' nodeset='1'/></hugepages></memoryBacking></domain>");
        Assert.Equal(new ulong[] { 2UL << 20, 1UL << 30 }, MemoryXml.HugePages(mixed).Select(p => p.PageSizeBytes));
    }

    [Theory]
    [InlineData("<disk type='network'><source protocol='rbd' name='pool/img'><host name='m1' port='6789'/><host name='m2'/></source></disk>", "rbd://m1:6789,m2/pool/img")]
    [InlineData("<disk type='network'><source protocol='nbd'><host transport='unix' socket='/run/n.sock'/></source></disk>", "nbd://unix:/run/n.sock")]
    [InlineData("<disk type='network'><source protocol='https' name='/iso/a.iso'><host name='h' port='443'/></source></disk>", "https://h:443/iso/a.iso")]
    [InlineData("<disk type='network'><source protocol='nbd' name='e'><host name='::1' port='10809'/></source></disk>", "nbd://[::1]:10809/e")]
    [InlineData("<disk type='nvme'><source type='pci' namespace='2'><address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></source></disk>", "nvme://0000:01:00.0/2")]
    [InlineData("<disk type='file'><source file='rel/a.img'/></disk>", "rel/a.img")]
    [InlineData("<disk type='volume'><source pool='p' volume='v'/></disk>", "v")]
    [InlineData("<disk type='file' device='cdrom'/>", null)]
    public void Disk_sources_read_with_a_meaningful_text(string disk, string? expected) =>
        Assert.Equal(expected, DeviceSourceText.Disk(XElement.Parse(disk)));

    [Fact]
    public void Host_devices_of_every_type_are_listed()
    {
        XElement d = XElement.Parse("<domain><devices>"
            + "<hostdev mode='subsystem' type='usb' managed='yes'><source><vendor id='0x046d'/><product id='0xc52b'/></source></hostdev>"
            + "<hostdev mode='subsystem' type='usb'><source><address bus='1' device='3'/></source></hostdev>"
            + "<hostdev mode='subsystem' type='scsi'><source><adapter name='scsi_host0'/><address bus='0' target='1' unit='2'/></source></hostdev>"
            + "<hostdev mode='subsystem' type='mdev' model='vfio-pci'><source><address uuid='c2177883-f1bb-47f0-914d-32a22e3a8804'/></source></hostdev>"
            + "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x03' slot='0x00' function='0x0'/></source></hostdev>"
            + "</devices></domain>");
        var list = DeviceSourceText.HostDevices(d, "v", "u");
        Assert.Equal(new[] { "usb 046d:c52b", "usb bus 1 device 3", "scsi scsi_host0 0:1:2", "mdev c2177883-f1bb-47f0-914d-32a22e3a8804", "0000:03:00.0" },
            list.Select(x => x.Source));
        Assert.Equal(new bool?[] { true, null, null, null, true }, list.Select(x => x.Managed));
    }

    [Theory]
    [InlineData("sse4_1", "sse4.1")]
    [InlineData("avx2x", "avx2")]
    [InlineData("no_such_flag", null)]
    public void Closest_feature_name_is_a_near_miss_only(string name, string? expected) =>
        Assert.Equal(expected, CpuFeatureCatalog.Closest(name, new[] { "sse4.1", "sse4.2", "avx2", "avx", "vmx", "svm" }));

    [Fact]
    public async Task Warnings_reach_the_innermost_open_scope_only()
    {
        EngineWarnings.Add("nobody hears this");
        using (EngineWarnings outer = EngineWarnings.Collect())
        {
            using (EngineWarnings inner = EngineWarnings.Collect())
            {
                EngineWarnings.Add("inner");
                Assert.Equal(new[] { "inner" }, inner.Drain());
            }
            await Task.Run(() => EngineWarnings.Add("from a worker"));
            Assert.Equal(new[] { "from a worker" }, outer.Drain());
            Assert.Empty(outer.Drain());
        }
    }
}

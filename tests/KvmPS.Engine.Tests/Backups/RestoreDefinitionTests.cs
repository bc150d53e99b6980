using System.Xml.Linq;
using KvmPS.Engine.Backups;
using KvmPS.Engine.Domains;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>The definition of a restored VM: its disks on the new volumes, owned by it, nothing else changed.</summary>
public sealed class RestoreDefinitionTests
{
    private const string Xml = """
        <domain type='kvm'>
          <name>web1</name>
          <uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid>
          <metadata><kvmps:kvmps xmlns:kvmps='https://kvmps.dev/xmlns/domain/1'><kvmps:owned path='/old/web1.qcow2' owner='4dea22b3-1d52-d8f3-2516-782e98ab3fa0'/></kvmps:kvmps></metadata>
          <memory>524288</memory>
          <devices>
            <disk type='volume' device='disk'><driver name='qemu' type='raw' cache='none'/><source pool='old' volume='web1'/><backingStore type='file'><source file='/base'/></backingStore><target dev='vda' bus='virtio'/></disk>
            <disk type='file' device='cdrom'><source file='/iso/x.iso'/><target dev='hdc' bus='ide'/><readonly/></disk>
          </devices>
        </domain>
        """;

    [Fact]
    public void Restored_disks_point_at_their_volumes_as_qcow2_and_the_vm_owns_only_them()
    {
        XElement d = XElement.Parse(Xml);
        RestoreDefinition.PointDisks(d, new Dictionary<string, string> { ["vda"] = "/pool/web1-vda.qcow2" });
        Guid uuid = RestoreDefinition.Own(d, new[] { "/pool/web1-vda.qcow2" });
        Assert.Equal(Guid.Parse("4dea22b3-1d52-d8f3-2516-782e98ab3fa0"), uuid);
        XElement vda = d.Descendants("disk").First();
        Assert.Equal("file", (string?)vda.Attribute("type"));
        Assert.Equal("/pool/web1-vda.qcow2", (string?)vda.Element("source")!.Attribute("file"));
        Assert.Null(vda.Element("source")!.Attribute("pool"));
        Assert.Null(vda.Element("backingStore"));
        Assert.Equal("qcow2", (string?)vda.Element("driver")!.Attribute("type"));
        Assert.Equal("none", (string?)vda.Element("driver")!.Attribute("cache"));
        Assert.Equal("/iso/x.iso", (string?)d.Descendants("disk").Last().Element("source")!.Attribute("file"));
        Assert.Equal(new[] { "/pool/web1-vda.qcow2" }, DomainXml.OwnedPaths(d));
    }

    [Fact]
    public void A_copy_without_uuid_gets_one_that_owns_the_volumes()
    {
        XElement d = XElement.Parse(Xml);
        d.Element("uuid")!.Remove();
        d.Element("metadata")!.Remove();
        Guid uuid = RestoreDefinition.Own(d, new[] { "/pool/c-vda.qcow2" });
        Assert.NotEqual(Guid.Empty, uuid);
        Assert.Equal(uuid.ToString("D"), (string?)d.Element("uuid"));
        Assert.Equal(new[] { "/pool/c-vda.qcow2" }, DomainXml.OwnedPaths(d));
    }

    [Fact]
    public void A_copy_made_by_AsCopy_gets_a_new_uuid_that_owns_the_volumes()
    {
        XElement d = XElement.Parse(Xml);
        RestoreDefinition.PointDisks(d, new Dictionary<string, string> { ["vda"] = "/pool/c-vda.qcow2" });
        DomainImport.AsCopy(d, "c", KvmPS.Engine.Devices.HostDomains.From(Array.Empty<(string, XElement)>()));
        Guid uuid = RestoreDefinition.Own(d, new[] { "/pool/c-vda.qcow2" });
        Assert.NotEqual(Guid.Parse("4dea22b3-1d52-d8f3-2516-782e98ab3fa0"), uuid);
        Assert.Equal(uuid.ToString("D"), (string?)d.Element("uuid"));
        Assert.Single(d.Elements("uuid"));
        Assert.Equal(new[] { "/pool/c-vda.qcow2" }, DomainXml.OwnedPaths(d));
    }
}

using System.Xml.Linq;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Domains;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>Import-KvmVM -Name: what a copy of a definition gets and loses (DomainImport).</summary>
public sealed class DomainImportTests
{
    private static XElement Original() => XElement.Parse($"""
        <domain type='kvm'>
          <name>orig</name>
          <uuid>6f0c8b8e-2c7a-4f51-9a3e-0d6a4c2b1e11</uuid>
          <metadata>
            <kvmps:kvmps xmlns:kvmps='{DomainXml.KvmPSNs.NamespaceName}'>
              <kvmps:owned path='/pool/orig.qcow2' owner='6f0c8b8e-2c7a-4f51-9a3e-0d6a4c2b1e11'/>
            </kvmps:kvmps>
            <other xmlns='urn:x'/>
          </metadata>
          <os>
            <type>hvm</type>
            <loader type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>
            <nvram template='/usr/share/OVMF/OVMF_VARS.fd'>/var/lib/libvirt/qemu/nvram/orig_VARS.fd</nvram>
          </os>
          <devices>
            <disk type='file' device='disk'><source file='/pool/orig.qcow2'/><target dev='vda'/></disk>
            <disk type='file' device='cdrom'><source file='/iso/install.iso'/><target dev='sda'/><readonly/></disk>
            <interface type='network'><mac address='52:54:00:00:00:01'/><source network='default'/></interface>
            <interface type='network'><source network='default'/></interface>
          </devices>
        </domain>
        """);

    [Fact]
    public void A_copy_gets_the_name_no_uuid_new_distinct_macs_and_no_ownership_or_nvram_file()
    {
        XElement doc = Original();
        var host = HostDomains.From(new[] { ("orig", Original()) });
        List<string> notes = DomainImport.AsCopy(doc, "copy", host);

        Assert.Equal("copy", (string?)doc.Element("name"));
        Assert.Null(doc.Element("uuid"));
        List<string> macs = DomainImport.Macs(doc);
        Assert.Equal(2, macs.Count);
        Assert.NotEqual(macs[0], macs[1]);
        Assert.DoesNotContain("52:54:00:00:00:01", macs);
        Assert.All(macs, m => Assert.True(HostDomains.IsUnicastMac(m)));
        Assert.Null(doc.Element("metadata")!.Element(DomainXml.KvmPSNs + "kvmps"));
        Assert.NotNull(doc.Element("metadata")!.Element(XName.Get("other", "urn:x")));
        XElement nvram = doc.Element("os")!.Element("nvram")!;
        Assert.Equal("", nvram.Value);
        Assert.Equal("/usr/share/OVMF/OVMF_VARS.fd", (string?)nvram.Attribute("template"));
        // The disk is shared with the original (a writer); the read-only ISO is not worth a word.
        Assert.Single(notes);
        Assert.Contains("/pool/orig.qcow2", notes[0]);
        Assert.Contains("orig", notes[0]);
    }

    [Fact]
    public void A_copy_of_a_vm_that_is_not_on_the_host_has_nothing_to_say()
    {
        XElement doc = Original();
        doc.Element("os")!.Element("nvram")!.RemoveAttributes();
        Assert.Empty(DomainImport.AsCopy(doc, "copy", HostDomains.From(Array.Empty<(string, XElement)>())));
        Assert.Null(doc.Element("os")!.Element("nvram"));
    }

    [Fact]
    public void The_new_macs_pass_the_mac_rule_on_the_host()
    {
        XElement doc = Original();
        var host = HostDomains.From(new[] { ("orig", Original()) });
        DomainImport.AsCopy(doc, "copy", host);
        Assert.Null(MacAddressCheck.Check(host, DomainImport.Macs(doc), except: "copy", force: false));
        Assert.NotNull(MacAddressCheck.Check(host, DomainImport.Macs(Original()), except: "copy", force: false));
    }
}

using KvmPS.Engine.Devices;
using KvmPS.Engine.Domains;
using Xunit;

namespace KvmPS.Engine.Tests.Domains;

/// <summary>-HostDevice: node device XML read, each form of the name matched, the hostdev written.</summary>
public sealed class VmPassthroughTests
{
    private static readonly List<VmPassthrough.NodeDevice> Host = new()
    {
        VmPassthrough.Parse("<device><name>pci_0000_00_19_0</name><capability type='pci'><domain>0</domain><bus>0</bus><slot>25</slot><function>0</function></capability></device>")!,
        VmPassthrough.Parse("<device><name>usb_1_2</name><capability type='usb_device'><bus>1</bus><device>2</device><product id='0xc077'/><vendor id='0x046d'/></capability></device>")!,
        VmPassthrough.Parse("<device><name>usb_1_3</name><capability type='usb_device'><bus>1</bus><device>3</device><product id='0x5567'/><vendor id='0x0781'/></capability></device>")!,
        VmPassthrough.Parse("<device><name>usb_2_4</name><capability type='usb_device'><bus>2</bus><device>4</device><product id='0x5567'/><vendor id='0x0781'/></capability></device>")!,
    };

    [Fact]
    public void Reads_pci_and_usb_node_devices_and_skips_others()
    {
        Assert.Equal(new PciAddress(0, 0, 0x19, 0), Host[0].Pci);
        Assert.Equal((0x046d, 0xc077, 1, 2), (Host[1].Vendor!.Value, Host[1].Product!.Value, Host[1].Bus!.Value, Host[1].Device!.Value));
        Assert.Null(VmPassthrough.Parse("<device><name>net_eth0</name><capability type='net'><interface>eth0</interface></capability></device>"));
    }

    [Theory]
    [InlineData("pci_0000_00_19_0")]
    [InlineData("0000:00:19.0")]
    [InlineData("00:19.0")]
    public void Pci_forms_give_one_address(string given)
    {
        var x = VmPassthrough.Resolve(Host, "v", given, "test:///x");
        Assert.Equal("<hostdev mode=\"subsystem\" type=\"pci\" managed=\"yes\"><source><address domain=\"0x0000\" bus=\"0x00\" slot=\"0x19\" function=\"0x0\" /></source></hostdev>",
            x.ToString(System.Xml.Linq.SaveOptions.DisableFormatting));
    }

    [Fact]
    public void Usb_by_vendor_product_and_by_address_when_ambiguous()
    {
        var unique = VmPassthrough.Resolve(Host, "v", "046d:c077", "u");
        Assert.Equal("0x046d", (string?)unique.Element("source")!.Element("vendor")!.Attribute("id"));
        Assert.Null(unique.Element("source")!.Element("address"));
        var twin = VmPassthrough.Resolve(Host, "v", "usb_1_3", "u");
        Assert.Equal("1", (string?)twin.Element("source")!.Element("address")!.Attribute("bus"));
        Assert.Equal("3", (string?)twin.Element("source")!.Element("address")!.Attribute("device"));
    }

    [Theory]
    [InlineData("pci_0000_00_1a_0", "HostDeviceNotFound", KvmErrorKind.NotFound)]
    [InlineData("0000:00:1a.0", "HostDeviceNotFound", KvmErrorKind.NotFound)]
    [InlineData("0x0781:0x5567", "AmbiguousHostDevice", KvmErrorKind.InvalidArgument)]
    [InlineData("eth0", "InvalidHostDevice", KvmErrorKind.InvalidArgument)]
    public void Refusals(string given, string id, KvmErrorKind kind)
    {
        var e = Assert.Throws<VmRequestException>(() => VmPassthrough.Resolve(Host, "v", given, "u"));
        Assert.Equal(id, e.ErrorId);
        Assert.Equal(kind, e.Kind);
    }
}

using System.Runtime.InteropServices;

namespace KvmPS.Engine.Native;

// Device hot-plug calls for the devices area (node device XML comes from Libvirt.Objects.cs).
// Named apart (EntryPoint aliases) so other areas may import the same C functions under their
// own names without a clash.
internal static unsafe partial class Libvirt
{
    internal const uint VIR_CONNECT_LIST_NODE_DEVICES_CAP_PCI_DEV = 1 << 1;

    [LibraryImport(LibvirtLibrary.Name, EntryPoint = "virDomainAttachDeviceFlags", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int DevAttachDeviceFlags(DomainHandle dom, string xml, uint flags);

    [LibraryImport(LibvirtLibrary.Name, EntryPoint = "virDomainDetachDeviceFlags", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int DevDetachDeviceFlags(DomainHandle dom, string xml, uint flags);

    [LibraryImport(LibvirtLibrary.Name, EntryPoint = "virDomainUpdateDeviceFlags", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int DevUpdateDeviceFlags(DomainHandle dom, string xml, uint flags);
}

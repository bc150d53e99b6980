using System.Runtime.InteropServices;

namespace KvmPS.Engine.Native;

// Device hot-plug (libvirt-domain.h); node device lookup, listing and XML live in Libvirt.Objects.cs.
internal static unsafe partial class Libvirt
{
    internal const uint VIR_CONNECT_LIST_NODE_DEVICES_CAP_PCI_DEV = 1 << 1;
    internal const uint VIR_CONNECT_LIST_NODE_DEVICES_CAP_USB_DEV = 1 << 2;

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virDomainAttachDeviceFlags(DomainHandle dom, string xml, uint flags);

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virDomainDetachDeviceFlags(DomainHandle dom, string xml, uint flags);

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virDomainUpdateDeviceFlags(DomainHandle dom, string xml, uint flags);
}

using System.Runtime.InteropServices;

namespace KvmPS.Engine.Native;

// libvirt's default event loop (libvirt-event.h) and connection keepalive (libvirt-host.h).
internal static partial class Libvirt
{
    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial int virEventRegisterDefaultImpl();

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial int virEventRunDefaultImpl();

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial int virConnectSetKeepAlive(ConnectHandle conn, int interval, uint count);
}

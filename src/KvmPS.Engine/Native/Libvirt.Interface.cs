using System.Runtime.InteropServices;

namespace KvmPS.Engine.Native;

// The host interface API (virInterface*): the host's own network interfaces as the daemon's
// interface driver sees them, also on remote hosts. Only listing is needed (bridges to complete).
internal static unsafe partial class Libvirt
{
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virInterfaceFree(IntPtr iface);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virConnectListAllInterfaces(ConnectHandle conn, IntPtr** ifaces, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial IntPtr virInterfaceGetName(InterfaceHandle iface);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial IntPtr virInterfaceGetXMLDesc(InterfaceHandle iface, uint flags);
}

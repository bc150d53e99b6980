using System.Runtime.InteropServices;

namespace KvmPS.Engine.Native;

internal static unsafe partial class Libvirt
{
    internal const uint VIR_CONNECT_LIST_NETWORKS_ACTIVE = 1 << 1;
    internal const uint VIR_CONNECT_LIST_NETWORKS_PERSISTENT = 1 << 2;
    internal const uint VIR_CONNECT_LIST_NETWORKS_AUTOSTART = 1 << 4;
    internal const uint VIR_NETWORK_XML_INACTIVE = 1;
    internal const uint VIR_NETWORK_DEFINE_VALIDATE = 1;
    internal const uint VIR_NETWORK_UPDATE_COMMAND_DELETE = 2;
    internal const uint VIR_NETWORK_UPDATE_COMMAND_ADD_LAST = 3;
    internal const uint VIR_NETWORK_SECTION_IP_DHCP_HOST = 4;
    internal const uint VIR_NETWORK_UPDATE_AFFECT_LIVE = 1;
    internal const uint VIR_NETWORK_UPDATE_AFFECT_CONFIG = 2;
    internal const int VIR_IP_ADDR_TYPE_IPV6 = 1;

    /// <summary>Layout of virNetworkDHCPLease (libvirt-network.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct VirNetworkDHCPLease
    {
        public IntPtr Iface;
        public long ExpiryTime;
        public int Type;
        public IntPtr Mac;
        public IntPtr Iaid;
        public IntPtr IpAddr;
        public uint Prefix;
        public IntPtr Hostname;
        public IntPtr ClientId;
    }

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr virNetworkDefineXML(ConnectHandle conn, string xml);

    /// <summary>Since libvirt 7.7; probe before use.</summary>
    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr virNetworkDefineXMLFlags(ConnectHandle conn, string xml, uint flags);

    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virNetworkCreate(NetworkHandle net);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virNetworkDestroy(NetworkHandle net);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virNetworkUndefine(NetworkHandle net);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virNetworkIsActive(NetworkHandle net);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virNetworkIsPersistent(NetworkHandle net);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virNetworkGetAutostart(NetworkHandle net, out int autostart);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virNetworkSetAutostart(NetworkHandle net, int autostart);

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virNetworkUpdate(NetworkHandle net, uint command, uint section, int parentIndex, string xml, uint flags);

    /// <summary>Since libvirt 1.2.6; probe before use.</summary>
    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virNetworkGetDHCPLeases(NetworkHandle net, string? mac, VirNetworkDHCPLease*** leases, uint flags);

    [LibraryImport(LibvirtLibrary.Name)] internal static partial void virNetworkDHCPLeaseFree(VirNetworkDHCPLease* lease);
}

using System.Runtime.InteropServices;

namespace KvmPS.Engine.Native;

// virDomainInterfaceAddresses: the guest's IP addresses per interface, from the DHCP leases of
// libvirt's networks, the guest agent, or the host's ARP table.
internal static unsafe partial class Libvirt
{
    internal const uint VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE = 0;
    internal const uint VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT = 1;
    internal const uint VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP = 2;

    /// <summary>virDomainIPAddress (libvirt-domain.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct VirDomainIPAddress
    {
        public int Type;
        public IntPtr Addr;
        public uint Prefix;
    }

    /// <summary>virDomainInterface (libvirt-domain.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct VirDomainInterface
    {
        public IntPtr Name;
        public IntPtr HwAddr;
        public uint NAddrs;
        public VirDomainIPAddress* Addrs;
    }

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial int virDomainInterfaceAddresses(DomainHandle dom, VirDomainInterface*** ifaces, uint source, uint flags);

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial void virDomainInterfaceFree(VirDomainInterface* iface);
}

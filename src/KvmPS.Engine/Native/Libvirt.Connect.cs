using System.Runtime.InteropServices;

namespace KvmPS.Engine.Native;

internal static unsafe partial class Libvirt
{
    /// <summary>Layout of virNodeInfo (libvirt-host.h); <c>unsigned long</c> is 64-bit on Linux x64.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct VirNodeInfo
    {
        public fixed byte Model[32];
        public ulong MemoryKiB;
        public uint Cpus;
        public uint Mhz;
        public uint Nodes;
        public uint Sockets;
        public uint Cores;
        public uint Threads;
    }

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr virConnectOpen(string? name);

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial int virConnectClose(IntPtr conn);

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial int virConnectIsAlive(ConnectHandle conn);

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial IntPtr virConnectGetURI(ConnectHandle conn);

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial IntPtr virConnectGetHostname(ConnectHandle conn);

    /// <summary>Returns a static string: not to be freed.</summary>
    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial IntPtr virConnectGetType(ConnectHandle conn);

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial int virConnectGetVersion(ConnectHandle conn, out ulong hvVer);

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial int virConnectGetLibVersion(ConnectHandle conn, out ulong libVer);

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virConnectGetMaxVcpus(ConnectHandle conn, string? type);

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial IntPtr virConnectGetCapabilities(ConnectHandle conn);

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr virConnectGetDomainCapabilities(ConnectHandle conn, string? emulatorbin, string? arch, string? machine, string? virttype, uint flags);

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr virConnectDomainXMLToNative(ConnectHandle conn, string nativeFormat, string domainXml, uint flags);

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial int virNodeGetInfo(ConnectHandle conn, out VirNodeInfo info);

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial ulong virNodeGetFreeMemory(ConnectHandle conn);

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial int virNodeGetCellsFreeMemory(ConnectHandle conn, ulong* freeMems, int startCell, int maxCells);

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial int virNodeGetFreePages(ConnectHandle conn, uint npages, uint* pages, int startCell, uint cellCount, ulong* counts, uint flags);
}

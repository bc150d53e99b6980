using System.Runtime.InteropServices;

namespace KvmPS.Engine.Native;

// Free and bulk listing of the object types behind the SafeHandles (one SafeHandle type per
// libvirt object type, each owning exactly one reference and releasing it once with the matching
// free function here; libvirt's objects are reference counted and thread-safe, so a second owner
// takes its own reference with virXxxRef rather than sharing a handle). Area-specific calls
// (define, start, ...) live in their own partial files.
internal static unsafe partial class Libvirt
{
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virDomainFree(IntPtr dom);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virNetworkFree(IntPtr net);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virStoragePoolFree(IntPtr pool);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virStorageVolFree(IntPtr vol);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virNodeDeviceFree(IntPtr dev);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virStreamFree(IntPtr st);

    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virConnectListAllDomains(ConnectHandle conn, IntPtr** domains, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virConnectListAllNetworks(ConnectHandle conn, IntPtr** nets, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virConnectListAllStoragePools(ConnectHandle conn, IntPtr** pools, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virConnectListAllNodeDevices(ConnectHandle conn, IntPtr** devices, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virStoragePoolListAllVolumes(StoragePoolHandle pool, IntPtr** vols, uint flags);

    /// <summary>Name getters return a pointer owned by the object: not to be freed.</summary>
    [LibraryImport(LibvirtLibrary.Name)] internal static partial IntPtr virDomainGetName(DomainHandle dom);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial IntPtr virNetworkGetName(NetworkHandle net);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial IntPtr virStoragePoolGetName(StoragePoolHandle pool);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial IntPtr virStorageVolGetName(StorageVolHandle vol);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial IntPtr virNodeDeviceGetName(NodeDeviceHandle dev);

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr virDomainLookupByName(ConnectHandle conn, string name);
    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr virNetworkLookupByName(ConnectHandle conn, string name);
    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr virStoragePoolLookupByName(ConnectHandle conn, string name);
    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr virDomainLookupByUUIDString(ConnectHandle conn, string uuid);
    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr virNetworkLookupByUUIDString(ConnectHandle conn, string uuid);
    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr virStoragePoolLookupByUUIDString(ConnectHandle conn, string uuid);
    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr virStorageVolLookupByName(StoragePoolHandle pool, string name);

    [LibraryImport(LibvirtLibrary.Name)] internal static partial IntPtr virDomainGetXMLDesc(DomainHandle dom, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial IntPtr virNetworkGetXMLDesc(NetworkHandle net, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial IntPtr virStoragePoolGetXMLDesc(StoragePoolHandle pool, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial IntPtr virStorageVolGetXMLDesc(StorageVolHandle vol, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial IntPtr virNodeDeviceGetXMLDesc(NodeDeviceHandle dev, uint flags);
}

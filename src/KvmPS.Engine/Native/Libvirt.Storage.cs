using System.Runtime.InteropServices;

namespace KvmPS.Engine.Native;

// Storage pools, volumes and the data streams used to upload into volumes (libvirt-storage.h,
// libvirt-stream.h). Lookup by name, listing, XML and free live in Libvirt.Objects.cs.
internal static unsafe partial class Libvirt
{
    /// <summary>Layout of virStoragePoolInfo.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct VirStoragePoolInfo
    {
        public int State;
        public ulong Capacity;
        public ulong Allocation;
        public ulong Available;
    }

    internal const uint VIR_STORAGE_XML_INACTIVE = 1 << 0;
    internal const uint VIR_STORAGE_POOL_DEFINE_VALIDATE = 1 << 0;
    internal const uint VIR_STORAGE_POOL_BUILD_NO_OVERWRITE = 1 << 2;
    internal const uint VIR_STORAGE_VOL_CREATE_VALIDATE = 1 << 2;
    internal const uint VIR_STORAGE_VOL_RESIZE_SHRINK = 1 << 2;

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr virStoragePoolDefineXML(ConnectHandle conn, string xml, uint flags);

    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virStoragePoolBuild(StoragePoolHandle pool, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virStoragePoolCreate(StoragePoolHandle pool, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virStoragePoolDestroy(StoragePoolHandle pool);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virStoragePoolUndefine(StoragePoolHandle pool);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virStoragePoolDelete(StoragePoolHandle pool, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virStoragePoolRefresh(StoragePoolHandle pool, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virStoragePoolGetInfo(StoragePoolHandle pool, out VirStoragePoolInfo info);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virStoragePoolGetAutostart(StoragePoolHandle pool, out int autostart);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virStoragePoolSetAutostart(StoragePoolHandle pool, int autostart);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virStoragePoolIsActive(StoragePoolHandle pool);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virStoragePoolIsPersistent(StoragePoolHandle pool);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial IntPtr virStoragePoolLookupByVolume(StorageVolHandle vol);

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr virStorageVolCreateXML(StoragePoolHandle pool, string xml, uint flags);

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr virStorageVolLookupByPath(ConnectHandle conn, string path);

    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virStorageVolDelete(StorageVolHandle vol, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virStorageVolResize(StorageVolHandle vol, ulong capacity, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virStorageVolUpload(StorageVolHandle vol, StreamHandle stream, ulong offset, ulong length, uint flags);

    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virStorageVolDownload(StorageVolHandle vol, StreamHandle stream, ulong offset, ulong length, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virStreamRecv(StreamHandle stream, byte* data, nuint nbytes);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial IntPtr virStreamNew(ConnectHandle conn, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virStreamSend(StreamHandle stream, byte* data, nuint nbytes);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virStreamFinish(StreamHandle stream);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virStreamAbort(StreamHandle stream);

    // Sparse streams (libvirt 3.4): holes travel as their length, not as zeros.
    internal const uint VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM = 1 << 0;
    internal const uint VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM = 1 << 0;
    internal const uint VIR_STREAM_RECV_STOP_AT_HOLE = 1 << 0;

    /// <summary>virStreamRecvFlags: with VIR_STREAM_RECV_STOP_AT_HOLE it returns -3 where a hole begins.</summary>
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virStreamRecvFlags(StreamHandle stream, byte* data, nuint nbytes, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virStreamRecvHole(StreamHandle stream, long* length, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virStreamSendHole(StreamHandle stream, long length, uint flags);
}

using System.Runtime.InteropServices;

namespace KvmPS.Engine.Native;

// Domain snapshots (libvirt-domain-snapshot.h), the block jobs that merge external snapshots back
// (virDomainBlockCommit and its job), renaming a domain and cloning a volume.
internal static unsafe partial class Libvirt
{
    internal const uint VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE = 1 << 0;
    internal const uint VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT = 1 << 1;
    internal const uint VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA = 1 << 2;
    internal const uint VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY = 1 << 4;
    internal const uint VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE = 1 << 6;
    internal const uint VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC = 1 << 7;

    internal const uint VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN = 1 << 0;
    internal const uint VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY = 1 << 1;

    internal const uint VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING = 1 << 0;
    internal const uint VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED = 1 << 1;
    internal const uint VIR_DOMAIN_SNAPSHOT_REVERT_FORCE = 1 << 2;

    internal const uint VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA = 1 << 1;
    internal const uint VIR_DOMAIN_START_PAUSED = 1 << 0;

    internal const uint VIR_DOMAIN_BLOCK_COMMIT_ACTIVE = 1 << 2;
    internal const uint VIR_DOMAIN_BLOCK_COMMIT_BANDWIDTH_BYTES = 1 << 4;
    internal const uint VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT = 1 << 1;
    internal const int VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT = 4;
    internal const int VIR_DOMAIN_METADATA_ELEMENT = 2;

    /// <summary>Layout of virDomainBlockJobInfo (bandwidth is an unsigned long: 64 bits on LP64).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct VirDomainBlockJobInfo
    {
        public int Type;
        public ulong Bandwidth;
        public ulong Cur;
        public ulong End;
    }

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr virDomainSnapshotCreateXML(DomainHandle dom, string xml, uint flags);

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr virDomainSnapshotLookupByName(DomainHandle dom, string name, uint flags);

    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virDomainListAllSnapshots(DomainHandle dom, IntPtr** snaps, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial IntPtr virDomainSnapshotGetXMLDesc(DomainSnapshotHandle snap, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial IntPtr virDomainSnapshotGetName(DomainSnapshotHandle snap);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virDomainSnapshotIsCurrent(DomainSnapshotHandle snap, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virDomainRevertToSnapshot(DomainSnapshotHandle snap, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virDomainSnapshotDelete(DomainSnapshotHandle snap, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virDomainSnapshotFree(IntPtr snap);

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virDomainBlockCommit(DomainHandle dom, string disk, string? bas, string? top, ulong bandwidth, uint flags);

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virDomainGetBlockJobInfo(DomainHandle dom, string disk, out VirDomainBlockJobInfo info, uint flags);

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virDomainBlockJobAbort(DomainHandle dom, string disk, uint flags);

    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virDomainCreateWithFlags(DomainHandle dom, uint flags);

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virDomainRename(DomainHandle dom, string newName, uint flags);

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr virStorageVolCreateXMLFrom(StoragePoolHandle pool, string xml, StorageVolHandle clone, uint flags);
}

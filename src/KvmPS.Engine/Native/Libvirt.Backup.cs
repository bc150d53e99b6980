using System.Runtime.InteropServices;

namespace KvmPS.Engine.Native;

// Backups, checkpoints and the job they run as (libvirt-domain.h, libvirt-domain-checkpoint.h),
// plus the guest agent's filesystem freeze that makes a backup of a running guest consistent.
internal static unsafe partial class Libvirt
{
    internal const uint VIR_DOMAIN_START_AUTODESTROY = 2;
    internal const uint VIR_DOMAIN_JOB_STATS_COMPLETED = 1;
    internal const uint VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED = 2;
    internal const uint VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN = 1;
    internal const uint VIR_DOMAIN_CHECKPOINT_DELETE_METADATA_ONLY = 2;
    internal const int VIR_TYPED_PARAM_INT = 1, VIR_TYPED_PARAM_UINT = 2, VIR_TYPED_PARAM_LLONG = 3,
        VIR_TYPED_PARAM_ULLONG = 4, VIR_TYPED_PARAM_DOUBLE = 5, VIR_TYPED_PARAM_BOOLEAN = 6, VIR_TYPED_PARAM_STRING = 7;

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virDomainBackupBegin(DomainHandle dom, string backupXml, string? checkpointXml, uint flags);

    /// <summary>Returns a malloc'd string: the running backup's XML (with the target files libvirt chose).</summary>
    [LibraryImport(LibvirtLibrary.Name)] internal static partial IntPtr virDomainBackupGetXMLDesc(DomainHandle dom, uint flags);


    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial int virDomainGetJobStats(DomainHandle dom, out int type, out VirTypedParameter* parameters, out int nparams, uint flags);

    [LibraryImport(LibvirtLibrary.Name)] internal static partial void virTypedParamsFree(VirTypedParameter* parameters, int nparams);


    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr virDomainCheckpointLookupByName(DomainHandle dom, string name, uint flags);

    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virDomainCheckpointDelete(CheckpointHandle checkpoint, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virDomainCheckpointFree(IntPtr checkpoint);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial IntPtr virDomainCheckpointGetName(CheckpointHandle checkpoint);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virDomainListAllCheckpoints(DomainHandle dom, IntPtr** checkpoints, uint flags);

    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virDomainFSFreeze(DomainHandle dom, IntPtr mountpoints, uint nmountpoints, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virDomainFSThaw(DomainHandle dom, IntPtr mountpoints, uint nmountpoints, uint flags);
}

using System.Runtime.InteropServices;

namespace KvmPS.Engine.Native;

internal static unsafe partial class Libvirt
{
    // virTypedParameter arrays are built and freed by libvirt's own helpers (libvirt-common.h),
    // so their layout never has to be spelled here.
    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virTypedParamsAddString(IntPtr* parameters, int* nparams, int* maxparams, string name, string value);

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virTypedParamsAddULLong(IntPtr* parameters, int* nparams, int* maxparams, string name, ulong value);

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virTypedParamsGetULLong(IntPtr parameters, int nparams, string name, ulong* value);

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial void virTypedParamsFree(IntPtr parameters, int nparams);

    /// <summary>Managed direct migration: the client holds both connections (virsh migrate without --p2p).</summary>
    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial IntPtr virDomainMigrate3(DomainHandle domain, ConnectHandle dconn, IntPtr parameters, uint nparams, uint flags);

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial int virDomainGetJobStats(DomainHandle domain, int* type, IntPtr* parameters, int* nparams, uint flags);

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial int virDomainAbortJob(DomainHandle domain);

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virConnectCompareHypervisorCPU(ConnectHandle conn, string? emulator, string? arch, string? machine, string? virttype, string xmlCPU, uint flags);

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr virConnectBaselineHypervisorCPU(ConnectHandle conn, string? emulator, string? arch, string? machine, string? virttype, IntPtr* xmlCPUs, uint ncpus, uint flags);
}

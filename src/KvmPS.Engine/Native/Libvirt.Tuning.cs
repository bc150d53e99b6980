using System.Runtime.InteropServices;

namespace KvmPS.Engine.Native;

// CPU, NUMA and memory tuning (libvirt-domain.h, libvirt-host.h).
internal static unsafe partial class Libvirt
{
    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial int virDomainPinVcpuFlags(DomainHandle dom, uint vcpu, byte* cpumap, int maplen, uint flags);

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial int virDomainPinEmulator(DomainHandle dom, byte* cpumap, int maplen, uint flags);

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial int virDomainPinIOThread(DomainHandle dom, uint iothreadId, byte* cpumap, int maplen, uint flags);

    /// <summary>Fills <paramref name="models"/> with a malloc'd array of malloc'd strings.</summary>
    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virConnectGetCPUModelNames(ConnectHandle conn, string arch, IntPtr** models, uint flags);

    internal const uint VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES = 1;

    /// <summary>Returns a malloc'd string (the baseline CPU), or NULL on failure.</summary>
    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial IntPtr virConnectBaselineCPU(ConnectHandle conn, IntPtr* xmlCPUs, uint ncpus, uint flags);
}

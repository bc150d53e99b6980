using System.Runtime.InteropServices;

namespace KvmPS.Engine.Native;

// CPU, NUMA and memory tuning. Every import has its own Tuning* name (EntryPoint alias) so this
// area cannot clash with another area importing the same C function.
internal static unsafe partial class Libvirt
{
    [LibraryImport(LibvirtLibrary.Name, EntryPoint = "virDomainPinVcpuFlags")]
    internal static partial int TuningPinVcpuFlags(DomainHandle dom, uint vcpu, byte* cpumap, int maplen, uint flags);

    [LibraryImport(LibvirtLibrary.Name, EntryPoint = "virDomainPinEmulator")]
    internal static partial int TuningPinEmulator(DomainHandle dom, byte* cpumap, int maplen, uint flags);

    [LibraryImport(LibvirtLibrary.Name, EntryPoint = "virDomainPinIOThread")]
    internal static partial int TuningPinIOThread(DomainHandle dom, uint iothreadId, byte* cpumap, int maplen, uint flags);

    /// <summary>Fills <paramref name="models"/> with a malloc'd array of malloc'd strings.</summary>
    [LibraryImport(LibvirtLibrary.Name, EntryPoint = "virConnectGetCPUModelNames", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int TuningGetCPUModelNames(ConnectHandle conn, string arch, IntPtr** models, uint flags);
}

using System.Runtime.InteropServices;

namespace KvmPS.Engine.Native;

// Bulk domain statistics (libvirt-domain.h) and host CPU and memory counters (libvirt-host.h).
internal static unsafe partial class Libvirt
{
    internal const uint VIR_DOMAIN_STATS_CPU_TOTAL = 1 << 1;
    internal const uint VIR_DOMAIN_STATS_BALLOON = 1 << 2;
    internal const uint VIR_DOMAIN_STATS_VCPU = 1 << 3;
    internal const uint VIR_DOMAIN_STATS_INTERFACE = 1 << 4;
    internal const uint VIR_DOMAIN_STATS_BLOCK = 1 << 5;
    internal const int VIR_NODE_CPU_STATS_ALL_CPUS = -1;
    internal const int VIR_NODE_MEMORY_STATS_ALL_CELLS = -1;
    internal const int VIR_NODE_STATS_FIELD_LENGTH = 80;

    /// <summary>virNodeCPUStats / virNodeMemoryStats: an 80-byte field name and a 64-bit value.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 88)]
    internal struct VirNodeStats
    {
        public fixed byte Field[80];
        public ulong Value;
    }

    /// <summary>virDomainGetName on a borrowed pointer (a stats record's or an event's domain): a string the domain owns.</summary>
    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial IntPtr virDomainGetName(IntPtr dom);

    /// <summary>virDomainGetUUID on a borrowed pointer: 16 raw bytes into <paramref name="uuid"/>.</summary>
    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial int virDomainGetUUID(IntPtr dom, byte* uuid);

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial int virDomainListGetStats(IntPtr* doms, uint stats, VirDomainStatsRecord*** retStats, uint flags);

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial int virNodeGetCPUStats(ConnectHandle conn, int cpuNum, VirNodeStats* stats, int* nparams, uint flags);

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial int virNodeGetMemoryStats(ConnectHandle conn, int cellNum, VirNodeStats* stats, int* nparams, uint flags);
}

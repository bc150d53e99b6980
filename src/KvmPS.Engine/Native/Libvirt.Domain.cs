using System.Runtime.InteropServices;

namespace KvmPS.Engine.Native;

internal static unsafe partial class Libvirt
{
    internal const uint VIR_DOMAIN_AFFECT_LIVE = 1;
    internal const uint VIR_DOMAIN_AFFECT_CONFIG = 2;
    internal const uint VIR_DOMAIN_MEM_MAXIMUM = 4;
    internal const uint VIR_DOMAIN_VCPU_MAXIMUM = 4;
    internal const uint VIR_DOMAIN_XML_SECURE = 1;
    internal const uint VIR_DOMAIN_XML_INACTIVE = 2;
    internal const uint VIR_DOMAIN_DEFINE_VALIDATE = 1;
    internal const uint VIR_DOMAIN_UNDEFINE_MANAGED_SAVE = 1;
    internal const uint VIR_DOMAIN_UNDEFINE_NVRAM = 4;
    internal const uint VIR_DOMAIN_UNDEFINE_KEEP_NVRAM = 8;
    internal const int VIR_DOMAIN_METADATA_DESCRIPTION = 0;
    internal const uint VIR_CONNECT_LIST_DOMAINS_PERSISTENT = 1 << 2;
    internal const uint VIR_CONNECT_LIST_DOMAINS_AUTOSTART = 1 << 10;
    internal const uint VIR_DOMAIN_STATS_STATE = 1;

    /// <summary>virDomainStatsRecord: the domain (owned by the list), its typed parameters.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct VirDomainStatsRecord
    {
        public IntPtr Dom;
        public VirTypedParameter* Params;
        public int NParams;
    }

    /// <summary>virTypedParameter: an 80-byte name, a type, then an 8-byte union.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 96)]
    internal struct VirTypedParameter
    {
        [FieldOffset(0)] public fixed byte Field[80];
        [FieldOffset(80)] public int Type;
        [FieldOffset(88)] public long Value;
    }

    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virDomainRef(IntPtr dom);

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr virDomainDefineXML(ConnectHandle conn, string xml);
    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr virDomainDefineXMLFlags(ConnectHandle conn, string xml, uint flags);

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr virDomainCreateXML(ConnectHandle conn, string xml, uint flags);

    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virDomainUndefineFlags(DomainHandle dom, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virDomainCreate(DomainHandle dom);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virDomainShutdown(DomainHandle dom);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virDomainDestroy(DomainHandle dom);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virDomainReboot(DomainHandle dom, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virDomainReset(DomainHandle dom, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virDomainSuspend(DomainHandle dom);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virDomainResume(DomainHandle dom);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virDomainGetState(DomainHandle dom, out int state, out int reason, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virDomainGetAutostart(DomainHandle dom, out int autostart);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virDomainSetAutostart(DomainHandle dom, int autostart);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virDomainIsPersistent(DomainHandle dom);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virDomainIsActive(DomainHandle dom);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virDomainSetMemoryFlags(DomainHandle dom, ulong memoryKiB, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virDomainSetVcpusFlags(DomainHandle dom, uint nvcpus, uint flags);
    [LibraryImport(LibvirtLibrary.Name)] internal static partial int virDomainGetVcpusFlags(DomainHandle dom, uint flags);

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virDomainSetMetadata(DomainHandle dom, int type, string? metadata, string? key, string? uri, uint flags);

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial int virConnectGetAllDomainStats(ConnectHandle conn, uint stats, VirDomainStatsRecord*** retStats, uint flags);
    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial void virDomainStatsRecordListFree(VirDomainStatsRecord** stats);
}

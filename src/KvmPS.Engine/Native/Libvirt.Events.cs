using System.Runtime.InteropServices;

namespace KvmPS.Engine.Native;

// libvirt's default event loop (libvirt-event.h) and connection keepalive (libvirt-host.h).
internal static unsafe partial class Libvirt
{
    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial int virEventRegisterDefaultImpl();

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial int virEventRunDefaultImpl();

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial int virConnectSetKeepAlive(ConnectHandle conn, int interval, uint count);

    // Domain events (libvirt-domain.h): callbacks are function pointers with the signature of each
    // event id; libvirt passes the opaque pointer back and calls freecb with it when it drops the
    // registration.
    internal const int VIR_DOMAIN_EVENT_ID_LIFECYCLE = 0;
    internal const int VIR_DOMAIN_EVENT_ID_REBOOT = 1;
    internal const int VIR_DOMAIN_EVENT_ID_RTC_CHANGE = 2;
    internal const int VIR_DOMAIN_EVENT_ID_WATCHDOG = 3;
    internal const int VIR_DOMAIN_EVENT_ID_IO_ERROR = 4;
    internal const int VIR_DOMAIN_EVENT_ID_CONTROL_ERROR = 7;
    internal const int VIR_DOMAIN_EVENT_ID_TRAY_CHANGE = 10;
    internal const int VIR_DOMAIN_EVENT_ID_PMWAKEUP = 11;
    internal const int VIR_DOMAIN_EVENT_ID_PMSUSPEND = 12;
    internal const int VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE = 13;
    internal const int VIR_DOMAIN_EVENT_ID_PMSUSPEND_DISK = 14;
    internal const int VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED = 15;
    internal const int VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2 = 16;
    internal const int VIR_DOMAIN_EVENT_ID_TUNABLE = 17;
    internal const int VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE = 18;
    internal const int VIR_DOMAIN_EVENT_ID_DEVICE_ADDED = 19;
    internal const int VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION = 20;
    internal const int VIR_DOMAIN_EVENT_ID_JOB_COMPLETED = 21;
    internal const int VIR_DOMAIN_EVENT_ID_DEVICE_REMOVAL_FAILED = 22;
    internal const int VIR_DOMAIN_EVENT_ID_METADATA_CHANGE = 23;
    internal const int VIR_DOMAIN_EVENT_ID_BLOCK_THRESHOLD = 24;

    /// <summary>Returns a callback id (for deregistering), or -1.</summary>
    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial int virConnectDomainEventRegisterAny(ConnectHandle conn, IntPtr dom, int eventID, IntPtr cb, IntPtr opaque, IntPtr freecb);

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial int virConnectDomainEventDeregisterAny(ConnectHandle conn, int callbackID);

    /// <summary>cb(conn, reason, opaque) runs when the connection closes (EOF, keepalive, error).</summary>
    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial int virConnectRegisterCloseCallback(ConnectHandle conn, IntPtr cb, IntPtr opaque, IntPtr freecb);

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial int virConnectUnregisterCloseCallback(ConnectHandle conn, IntPtr cb);
}

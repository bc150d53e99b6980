using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using KvmPS.Engine.Native;
using KvmPS.Engine.Statistics;

namespace KvmPS.Engine.Events;

/// <summary>
/// The functions libvirt calls for each domain event id, on its event-loop thread. They are static
/// [UnmanagedCallersOnly] functions, not delegates: there is no delegate the garbage collector could
/// take away while libvirt still holds the pointer. The opaque pointer is a GCHandle of the
/// receiving <see cref="EventHub"/>, freed by <see cref="Free"/> when libvirt drops the registration.
/// Nothing here may throw: an exception would end the process.
/// </summary>
internal static unsafe class EventCallbacks
{
    /// <summary>Every event id KvmPS registers, with its kind and the function for its signature.</summary>
    internal static readonly (int Id, KvmEventType Type, IntPtr Function)[] All =
    {
        (Libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, KvmEventType.Lifecycle, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int, int, IntPtr, int>)&Lifecycle),
        (Libvirt.VIR_DOMAIN_EVENT_ID_REBOOT, KvmEventType.Reboot, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr, void>)&Reboot),
        (Libvirt.VIR_DOMAIN_EVENT_ID_RTC_CHANGE, KvmEventType.RtcChange, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, long, IntPtr, void>)&RtcChange),
        (Libvirt.VIR_DOMAIN_EVENT_ID_WATCHDOG, KvmEventType.Watchdog, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int, IntPtr, void>)&Watchdog),
        (Libvirt.VIR_DOMAIN_EVENT_ID_IO_ERROR, KvmEventType.IOError, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr, IntPtr, int, IntPtr, void>)&IOError),
        (Libvirt.VIR_DOMAIN_EVENT_ID_CONTROL_ERROR, KvmEventType.ControlError, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr, void>)&ControlError),
        (Libvirt.VIR_DOMAIN_EVENT_ID_TRAY_CHANGE, KvmEventType.TrayChange, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr, int, IntPtr, void>)&TrayChange),
        (Libvirt.VIR_DOMAIN_EVENT_ID_PMWAKEUP, KvmEventType.PowerManagement, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int, IntPtr, void>)&PMWakeup),
        (Libvirt.VIR_DOMAIN_EVENT_ID_PMSUSPEND, KvmEventType.PowerManagement, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int, IntPtr, void>)&PMSuspend),
        (Libvirt.VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE, KvmEventType.Balloon, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, ulong, IntPtr, void>)&Balloon),
        (Libvirt.VIR_DOMAIN_EVENT_ID_PMSUSPEND_DISK, KvmEventType.PowerManagement, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int, IntPtr, void>)&PMSuspendDisk),
        (Libvirt.VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED, KvmEventType.Device, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr, IntPtr, void>)&DeviceRemoved),
        (Libvirt.VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2, KvmEventType.Block, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr, int, int, IntPtr, void>)&BlockJob),
        (Libvirt.VIR_DOMAIN_EVENT_ID_TUNABLE, KvmEventType.Tunable, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, Libvirt.VirTypedParameter*, int, IntPtr, void>)&Tunable),
        (Libvirt.VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE, KvmEventType.Agent, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int, int, IntPtr, void>)&AgentLifecycle),
        (Libvirt.VIR_DOMAIN_EVENT_ID_DEVICE_ADDED, KvmEventType.Device, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr, IntPtr, void>)&DeviceAdded),
        (Libvirt.VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION, KvmEventType.Migration, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int, IntPtr, void>)&MigrationIteration),
        (Libvirt.VIR_DOMAIN_EVENT_ID_JOB_COMPLETED, KvmEventType.Job, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, Libvirt.VirTypedParameter*, int, IntPtr, void>)&JobCompleted),
        (Libvirt.VIR_DOMAIN_EVENT_ID_DEVICE_REMOVAL_FAILED, KvmEventType.Device, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr, IntPtr, void>)&DeviceRemovalFailed),
        (Libvirt.VIR_DOMAIN_EVENT_ID_METADATA_CHANGE, KvmEventType.Metadata, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int, IntPtr, IntPtr, void>)&MetadataChange),
        (Libvirt.VIR_DOMAIN_EVENT_ID_BLOCK_THRESHOLD, KvmEventType.Block, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr, IntPtr, ulong, ulong, IntPtr, void>)&BlockThreshold),
    };

    /// <summary>freecb of every registration: releases the hub's GCHandle.</summary>
    internal static readonly IntPtr FreeFunction = (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, void>)&Free;

    /// <summary>The close callback: the connection died (daemon gone, keepalive timeout).</summary>
    internal static readonly IntPtr CloseFunction = (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr, void>)&Closed;

    private static void Deliver(IntPtr opaque, IntPtr dom, KvmEventType type, string ev, string detail, Dictionary<string, object>? data = null)
    {
        try
        {
            if (opaque != IntPtr.Zero && GCHandle.FromIntPtr(opaque).Target is EventHub hub)
            {
                hub.Publish(type, DomainStatsReader.NameOf(dom), DomainStatsReader.UuidOf(dom), ev, detail, data);
            }
        }
        catch (Exception)
        {
            // Never into native code: the event is lost rather than the process.
        }
    }

    private static string Str(IntPtr p) => Marshal.PtrToStringUTF8(p) ?? "";

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static int Lifecycle(IntPtr conn, IntPtr dom, int ev, int detail, IntPtr opaque)
    {
        var (e, d) = EventMapping.Lifecycle(ev, detail);
        Deliver(opaque, dom, KvmEventType.Lifecycle, e, d, new() { ["EventCode"] = ev, ["DetailCode"] = detail });
        return 0;
    }

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static void Reboot(IntPtr conn, IntPtr dom, IntPtr opaque) => Deliver(opaque, dom, KvmEventType.Reboot, "Rebooted", "");

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static void RtcChange(IntPtr conn, IntPtr dom, long offset, IntPtr opaque) =>
        Deliver(opaque, dom, KvmEventType.RtcChange, "Changed", "", new() { ["UtcOffsetSeconds"] = offset });

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static void Watchdog(IntPtr conn, IntPtr dom, int action, IntPtr opaque) =>
        Deliver(opaque, dom, KvmEventType.Watchdog, "Fired", EventMapping.WatchdogAction(action));

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static void IOError(IntPtr conn, IntPtr dom, IntPtr path, IntPtr alias, int action, IntPtr opaque) =>
        Deliver(opaque, dom, KvmEventType.IOError, "Error", EventMapping.IOErrorAction(action), new() { ["Path"] = Str(path), ["Device"] = Str(alias) });

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static void ControlError(IntPtr conn, IntPtr dom, IntPtr opaque) => Deliver(opaque, dom, KvmEventType.ControlError, "Error", "");

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static void TrayChange(IntPtr conn, IntPtr dom, IntPtr alias, int reason, IntPtr opaque) =>
        Deliver(opaque, dom, KvmEventType.TrayChange, EventMapping.Tray(reason), "", new() { ["Device"] = Str(alias) });

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static void PMWakeup(IntPtr conn, IntPtr dom, int reason, IntPtr opaque) => Deliver(opaque, dom, KvmEventType.PowerManagement, "Wakeup", "");

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static void PMSuspend(IntPtr conn, IntPtr dom, int reason, IntPtr opaque) => Deliver(opaque, dom, KvmEventType.PowerManagement, "Suspended", "Memory");

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static void PMSuspendDisk(IntPtr conn, IntPtr dom, int reason, IntPtr opaque) => Deliver(opaque, dom, KvmEventType.PowerManagement, "Suspended", "Disk");

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static void Balloon(IntPtr conn, IntPtr dom, ulong actualKiB, IntPtr opaque) =>
        Deliver(opaque, dom, KvmEventType.Balloon, "Changed", "", new() { ["MemoryBytes"] = actualKiB * 1024 });

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static void DeviceRemoved(IntPtr conn, IntPtr dom, IntPtr alias, IntPtr opaque) =>
        Deliver(opaque, dom, KvmEventType.Device, "Removed", Str(alias), new() { ["Device"] = Str(alias) });

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static void DeviceAdded(IntPtr conn, IntPtr dom, IntPtr alias, IntPtr opaque) =>
        Deliver(opaque, dom, KvmEventType.Device, "Added", Str(alias), new() { ["Device"] = Str(alias) });

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static void DeviceRemovalFailed(IntPtr conn, IntPtr dom, IntPtr alias, IntPtr opaque) =>
        Deliver(opaque, dom, KvmEventType.Device, "RemovalFailed", Str(alias), new() { ["Device"] = Str(alias) });

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static void BlockJob(IntPtr conn, IntPtr dom, IntPtr disk, int type, int status, IntPtr opaque) =>
        Deliver(opaque, dom, KvmEventType.Block, EventMapping.BlockJobStatus(status), EventMapping.BlockJobType(type), new() { ["Disk"] = Str(disk) });

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static void BlockThreshold(IntPtr conn, IntPtr dom, IntPtr dev, IntPtr path, ulong threshold, ulong excess, IntPtr opaque) =>
        Deliver(opaque, dom, KvmEventType.Block, "ThresholdReached", Str(dev),
            new() { ["Disk"] = Str(dev), ["Path"] = Str(path), ["ThresholdBytes"] = threshold, ["ExcessBytes"] = excess });

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static void Tunable(IntPtr conn, IntPtr dom, Libvirt.VirTypedParameter* p, int n, IntPtr opaque) =>
        Deliver(opaque, dom, KvmEventType.Tunable, "Changed", "", ParametersOf(p, n));

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static void JobCompleted(IntPtr conn, IntPtr dom, Libvirt.VirTypedParameter* p, int n, IntPtr opaque) =>
        Deliver(opaque, dom, KvmEventType.Job, "Completed", "", ParametersOf(p, n));

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static void AgentLifecycle(IntPtr conn, IntPtr dom, int state, int reason, IntPtr opaque)
    {
        var (e, d) = EventMapping.Agent(state, reason);
        Deliver(opaque, dom, KvmEventType.Agent, e, d);
    }

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static void MigrationIteration(IntPtr conn, IntPtr dom, int iteration, IntPtr opaque) =>
        Deliver(opaque, dom, KvmEventType.Migration, "Iteration", iteration.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new() { ["Iteration"] = iteration });

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static void MetadataChange(IntPtr conn, IntPtr dom, int type, IntPtr nsuri, IntPtr opaque) =>
        Deliver(opaque, dom, KvmEventType.Metadata, "Changed", type switch { 0 => "Description", 1 => "Title", _ => "Element" },
            new() { ["Namespace"] = Str(nsuri) });

    private static Dictionary<string, object> ParametersOf(Libvirt.VirTypedParameter* p, int n)
    {
        var tp = TypedParameters.Read(p, n);
        return tp.Names.ToDictionary(k => k, k => tp[k]!);
    }

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static void Free(IntPtr opaque)
    {
        try
        {
            GCHandle.FromIntPtr(opaque).Free();
        }
        catch (Exception)
        {
            // Freed already: nothing to do.
        }
    }

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static void Closed(IntPtr conn, int reason, IntPtr opaque)
    {
        try
        {
            if (GCHandle.FromIntPtr(opaque).Target is EventHub hub)
            {
                hub.OnClosed(EventMapping.CloseReason(reason));
            }
        }
        catch (Exception)
        {
            // As above: never throw into libvirt.
        }
    }
}

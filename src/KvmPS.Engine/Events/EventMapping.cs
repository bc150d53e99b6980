namespace KvmPS.Engine.Events;

/// <summary>
/// libvirt's event numbers as names (virDomainEventType and its detail enums, agent states, block
/// job types and states, watchdog and I/O error actions). A number this version does not know
/// stays visible as "Unknown(n)".
/// </summary>
public static class EventMapping
{
    private static readonly string[] s_lifecycle = { "Defined", "Undefined", "Started", "Suspended", "Resumed", "Stopped", "Shutdown", "PMSuspended", "Crashed" };

    private static readonly string[][] s_lifecycleDetail =
    {
        new[] { "Added", "Updated", "Renamed", "FromSnapshot" },
        new[] { "Removed", "Renamed" },
        new[] { "Booted", "Migrated", "Restored", "FromSnapshot", "Wakeup", "Recreated" },
        new[] { "Paused", "Migrated", "IOError", "Watchdog", "Restored", "FromSnapshot", "APIError", "Postcopy", "PostcopyFailed" },
        new[] { "Unpaused", "Migrated", "FromSnapshot", "Postcopy", "PostcopyFailed" },
        new[] { "Shutdown", "Destroyed", "Crashed", "Migrated", "Saved", "Failed", "FromSnapshot" },
        new[] { "Finished", "Guest", "Host" },
        new[] { "Memory", "Disk" },
        new[] { "Panicked", "CrashLoaded" },
    };

    private static readonly string[] s_blockJobType = { "Unknown", "Pull", "Copy", "Commit", "ActiveCommit", "Backup" };
    private static readonly string[] s_blockJobStatus = { "Completed", "Failed", "Canceled", "Ready" };
    private static readonly string[] s_watchdogAction = { "None", "Pause", "Reset", "PowerOff", "Shutdown", "Debug", "InjectNmi" };
    private static readonly string[] s_ioErrorAction = { "None", "Pause", "Report" };
    private static readonly string[] s_agentState = { "Unknown", "Connected", "Disconnected" };
    private static readonly string[] s_agentReason = { "Unknown", "DomainStarted", "Channel" };
    private static readonly string[] s_trayReason = { "Opened", "Closed" };
    private static readonly string[] s_closeReason = { "Error", "EndOfFile", "KeepAlive", "Client" };

    private static string Pick(string[] names, int n) => n >= 0 && n < names.Length ? names[n] : $"Unknown({n})";

    /// <summary>A lifecycle event and its detail: (2, 0) is Started/Booted, (5, 1) Stopped/Destroyed.</summary>
    public static (string Event, string Detail) Lifecycle(int ev, int detail) =>
        (Pick(s_lifecycle, ev), ev >= 0 && ev < s_lifecycleDetail.Length ? Pick(s_lifecycleDetail[ev], detail) : $"Unknown({detail})");

    public static string BlockJobType(int type) => Pick(s_blockJobType, type);

    public static string BlockJobStatus(int status) => Pick(s_blockJobStatus, status);

    public static string WatchdogAction(int action) => Pick(s_watchdogAction, action);

    public static string IOErrorAction(int action) => Pick(s_ioErrorAction, action);

    public static (string Event, string Detail) Agent(int state, int reason) => (Pick(s_agentState, state), Pick(s_agentReason, reason));

    public static string Tray(int reason) => Pick(s_trayReason, reason);

    /// <summary>Why libvirt closed a connection (virConnectCloseReason).</summary>
    public static string CloseReason(int reason) => Pick(s_closeReason, reason);

    /// <summary>The sentence of an event: "VM 'web1' Started (Booted)."</summary>
    public static string Message(KvmEventType type, string vm, string ev, string detail)
    {
        string what = type is KvmEventType.Lifecycle or KvmEventType.Reboot ? ev : $"{type} {ev}";
        return detail.Length == 0 ? $"VM '{vm}': {what}." : $"VM '{vm}': {what} ({detail}).";
    }
}

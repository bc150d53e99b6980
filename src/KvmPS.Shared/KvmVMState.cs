namespace KvmPS;

/// <summary>The state of a virtual machine (libvirt's virDomainState).</summary>
public enum KvmVMState
{
    /// <summary>No state reported.</summary>
    NoState = 0,
    /// <summary>Running.</summary>
    Running = 1,
    /// <summary>Blocked on a resource.</summary>
    Blocked = 2,
    /// <summary>Paused (suspended) by the user or by libvirt.</summary>
    Paused = 3,
    /// <summary>Being shut down.</summary>
    Shutdown = 4,
    /// <summary>Shut off (defined but not running).</summary>
    ShutOff = 5,
    /// <summary>Crashed.</summary>
    Crashed = 6,
    /// <summary>Suspended by guest power management.</summary>
    PMSuspended = 7,
}

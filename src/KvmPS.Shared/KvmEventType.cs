namespace KvmPS;

/// <summary>Kinds of events libvirt reports about VMs (groups of its domain event ids), and KvmPS's own connection notices.</summary>
public enum KvmEventType
{
    /// <summary>Defined, undefined, started, suspended, resumed, stopped, shut down, PM-suspended, crashed.</summary>
    Lifecycle,
    /// <summary>The guest rebooted.</summary>
    Reboot,
    /// <summary>The guest changed its real-time clock.</summary>
    RtcChange,
    /// <summary>The guest's watchdog fired.</summary>
    Watchdog,
    /// <summary>A disk had an I/O error.</summary>
    IOError,
    /// <summary>libvirt lost control of the VM's process (its monitor failed).</summary>
    ControlError,
    /// <summary>Block jobs (pull, copy, commit, backup) changed state, or a disk crossed its write threshold.</summary>
    Block,
    /// <summary>A removable drive's tray opened or closed.</summary>
    TrayChange,
    /// <summary>The guest was suspended to memory or disk by power management, or woke up.</summary>
    PowerManagement,
    /// <summary>The balloon changed the guest's memory.</summary>
    Balloon,
    /// <summary>A device was added or removed, or its removal failed.</summary>
    Device,
    /// <summary>Tunables (CPU pinning, I/O limits) changed.</summary>
    Tunable,
    /// <summary>The guest agent connected or disconnected.</summary>
    Agent,
    /// <summary>A live migration finished an iteration of copying memory.</summary>
    Migration,
    /// <summary>A job (migration, save, dump, backup) completed, with its statistics.</summary>
    Job,
    /// <summary>The VM's metadata (title, description, an XML namespace) changed.</summary>
    Metadata,
    /// <summary>KvmPS's notice that the event connection was lost or re-established (registrations renewed).</summary>
    Connection,
}

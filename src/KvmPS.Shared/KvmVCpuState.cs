namespace KvmPS;

/// <summary>The state of one virtual CPU (libvirt's virVcpuState).</summary>
public enum KvmVCpuState
{
    /// <summary>Offline (not plugged in or not started).</summary>
    Offline = 0,
    /// <summary>Running guest code.</summary>
    Running = 1,
    /// <summary>Blocked (halted, waiting for work).</summary>
    Blocked = 2,
}

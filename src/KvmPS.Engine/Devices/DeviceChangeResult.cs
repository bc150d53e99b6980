namespace KvmPS.Engine.Devices;

/// <summary>How a device change reached the VM.</summary>
public sealed class DeviceChangeResult
{
    /// <summary>The running VM has the change.</summary>
    public bool Live { get; init; }

    /// <summary>The persistent definition has the change (it applies at every start).</summary>
    public bool Config { get; init; }

    /// <summary>Why a running VM did not get the change (it does at its next start); null when it did or is not running.</summary>
    public string? NotLiveReason { get; init; }

    /// <summary>A detach the guest has not acknowledged yet: the device stays in the running VM until it does.</summary>
    public bool RemovalPending { get; init; }
}

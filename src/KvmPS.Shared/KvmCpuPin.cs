namespace KvmPS;

/// <summary>
/// Where one vCPU of a VM may run (Get-KvmCpuPin): one object per vCPU. The emulator and IOThread
/// pins belong to the whole VM and are repeated on every vCPU's object.
/// </summary>
public sealed class KvmCpuPin
{
    /// <summary>Name of the VM.</summary>
    public string VMName { get; internal init; } = "";

    /// <summary>vCPU number.</summary>
    public int VCpu { get; internal init; }

    /// <summary>Host CPUs the vCPU may run on, as a cpuset string (e.g. <c>0-3,8</c>).</summary>
    public string HostCpus { get; internal init; } = "";

    /// <summary>Whether the vCPU is pinned (a vcpupin to fewer than all host CPUs); false means it may run anywhere the VM may.</summary>
    public bool Pinned { get; internal init; }

    /// <summary>Host CPUs of the emulator threads (emulatorpin, or the default affinity), as a cpuset string.</summary>
    public string EmulatorCpus { get; internal init; } = "";

    /// <summary>Whether the emulator threads have their own pin (emulatorpin).</summary>
    public bool EmulatorPinned { get; internal init; }

    /// <summary>Pins of the VM's IOThreads.</summary>
    public KvmIOThreadPin[] IOThreads { get; internal init; } = Array.Empty<KvmIOThreadPin>();

    /// <summary>Whether this was read from the persistent definition rather than the running VM.</summary>
    public bool FromConfig { get; internal init; }

    /// <summary>The connection URI this was read from.</summary>
    public string Uri { get; internal init; } = "";
}

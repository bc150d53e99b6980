namespace KvmPS;

/// <summary>How the guest CPU is modelled (libvirt's cpu mode).</summary>
public enum KvmCpuMode
{
    /// <summary>The host CPU exactly as it is (host-passthrough): fastest, ties the VM to identical hosts.</summary>
    HostPassthrough,
    /// <summary>The closest named model to the host CPU plus its extra features (host-model).</summary>
    HostModel,
    /// <summary>A named CPU model (custom), given with -Model.</summary>
    Custom,
    /// <summary>Everything the hypervisor can offer (maximum).</summary>
    Maximum,
}

/// <summary>How Set-KvmCpuPin -Auto places vCPUs on host CPUs.</summary>
public enum KvmPinStrategy
{
    /// <summary>One vCPU per physical core: SMT siblings stay free while the cell has cores to spare.</summary>
    Spread,
    /// <summary>Fill every hardware thread of a core before the next core.</summary>
    Compact,
}

/// <summary>How guest memory is bound to host NUMA nodes (libvirt's numatune memory mode).</summary>
public enum KvmNumaMemoryMode
{
    /// <summary>Allocate only from the given nodes; fail otherwise.</summary>
    Strict,
    /// <summary>Prefer the given node (one node), fall back to others.</summary>
    Preferred,
    /// <summary>Interleave pages round-robin over the given nodes.</summary>
    Interleave,
    /// <summary>Restrict through cgroups only (libvirt's restrictive mode).</summary>
    Restrictive,
}

/// <summary>A VM's guest CPU: mode, model, topology, cache and features (Get-KvmCpu).</summary>
public sealed class KvmCpu
{
    /// <summary>Name of the VM.</summary>
    public string VMName { get; init; } = "";

    /// <summary>CPU mode; null when the VM leaves it to the hypervisor's default.</summary>
    public KvmCpuMode? Mode { get; init; }

    /// <summary>Named CPU model (custom mode), or the fallback model libvirt recorded.</summary>
    public string? Model { get; init; }

    /// <summary>Sockets of the guest topology, when one is set.</summary>
    public int? Sockets { get; init; }

    /// <summary>Dies per socket, when a topology is set.</summary>
    public int? Dies { get; init; }

    /// <summary>Cores per die, when a topology is set.</summary>
    public int? Cores { get; init; }

    /// <summary>Threads per core, when a topology is set.</summary>
    public int? Threads { get; init; }

    /// <summary>CPU cache mode (passthrough, emulate, disable), when set.</summary>
    public string? CacheMode { get; init; }

    /// <summary>CPU features with their policies.</summary>
    public KvmCpuFeature[] Features { get; init; } = Array.Empty<KvmCpuFeature>();

    /// <summary>Whether the guest is given the virtualization extension (vmx or svm required).</summary>
    public bool Nested { get; init; }

    /// <summary>Maximum number of vCPUs (what the topology must multiply up to).</summary>
    public int MaxVCpuCount { get; init; }

    /// <summary>Whether this was read from the persistent definition rather than the running VM.</summary>
    public bool FromConfig { get; init; }

    /// <summary>The connection URI this was read from.</summary>
    public string Uri { get; init; } = "";

    /// <inheritdoc />
    public override string ToString() => VMName;
}

/// <summary>One CPU feature of a guest CPU and its policy.</summary>
public sealed class KvmCpuFeature
{
    /// <summary>Feature name as libvirt knows it (x2apic, vmx, svm, ...).</summary>
    public string Name { get; init; } = "";

    /// <summary>require, disable, force, optional or forbid.</summary>
    public string Policy { get; init; } = "require";

    /// <inheritdoc />
    public override string ToString() => (Policy switch { "require" => "+", "disable" => "-", _ => Policy + ":" }) + Name;
}

/// <summary>
/// Where one vCPU of a VM may run (Get-KvmCpuPin): one object per vCPU. The emulator and IOThread
/// pins belong to the whole VM and are repeated on every vCPU's object.
/// </summary>
public sealed class KvmCpuPin
{
    /// <summary>Name of the VM.</summary>
    public string VMName { get; init; } = "";

    /// <summary>vCPU number.</summary>
    public int VCpu { get; init; }

    /// <summary>Host CPUs the vCPU may run on, as a cpuset string (e.g. <c>0-3,8</c>).</summary>
    public string HostCpus { get; init; } = "";

    /// <summary>Whether the vCPU is pinned (a vcpupin to fewer than all host CPUs); false means it may run anywhere the VM may.</summary>
    public bool Pinned { get; init; }

    /// <summary>Host CPUs of the emulator threads (emulatorpin, or the default affinity), as a cpuset string.</summary>
    public string EmulatorCpus { get; init; } = "";

    /// <summary>Whether the emulator threads have their own pin (emulatorpin).</summary>
    public bool EmulatorPinned { get; init; }

    /// <summary>Pins of the VM's IOThreads.</summary>
    public KvmIOThreadPin[] IOThreads { get; init; } = Array.Empty<KvmIOThreadPin>();

    /// <summary>Whether this was read from the persistent definition rather than the running VM.</summary>
    public bool FromConfig { get; init; }

    /// <summary>The connection URI this was read from.</summary>
    public string Uri { get; init; } = "";
}

/// <summary>Where one IOThread of a VM may run.</summary>
public sealed class KvmIOThreadPin
{
    /// <summary>IOThread id.</summary>
    public int IOThread { get; init; }

    /// <summary>Host CPUs as a cpuset string.</summary>
    public string HostCpus { get; init; } = "";

    /// <summary>Whether the IOThread has its own pin (iothreadpin).</summary>
    public bool Pinned { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{IOThread}:{HostCpus}";
}

/// <summary>A VM's guest NUMA layout and host memory binding (Get-KvmNuma).</summary>
public sealed class KvmNuma
{
    /// <summary>Name of the VM.</summary>
    public string VMName { get; init; } = "";

    /// <summary>Guest NUMA cells; empty when the guest has one implicit node.</summary>
    public KvmGuestNumaCell[] Cells { get; init; } = Array.Empty<KvmGuestNumaCell>();

    /// <summary>Host memory binding mode (numatune), when set.</summary>
    public KvmNumaMemoryMode? MemoryMode { get; init; }

    /// <summary>Host NUMA nodes the memory is bound to, as a nodeset string.</summary>
    public string? HostNodes { get; init; }

    /// <summary>Whether this was read from the persistent definition rather than the running VM.</summary>
    public bool FromConfig { get; init; }

    /// <summary>The connection URI this was read from.</summary>
    public string Uri { get; init; } = "";

    /// <inheritdoc />
    public override string ToString() => VMName;
}

/// <summary>One guest NUMA cell.</summary>
public sealed class KvmGuestNumaCell
{
    /// <summary>Cell number inside the guest.</summary>
    public int Id { get; init; }

    /// <summary>vCPUs of the cell as a cpuset string.</summary>
    public string Cpus { get; init; } = "";

    /// <summary>Memory of the cell in bytes.</summary>
    public ulong MemoryBytes { get; init; }

    /// <summary>Host nodes this cell's memory is bound to (numatune memnode), when set.</summary>
    public string? HostNodes { get; init; }

    /// <summary>Binding mode of this cell's memory (numatune memnode), when set.</summary>
    public KvmNumaMemoryMode? MemoryMode { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Id}:{Cpus}";
}

/// <summary>A VM's memory size and backing (Get-KvmMemory).</summary>
public sealed class KvmMemory
{
    /// <summary>Name of the VM.</summary>
    public string VMName { get; init; } = "";

    /// <summary>Maximum memory in bytes.</summary>
    public ulong MemoryBytes { get; init; }

    /// <summary>Current (balloon) memory in bytes.</summary>
    public ulong CurrentMemoryBytes { get; init; }

    /// <summary>Huge page size backing the memory in bytes; null for ordinary pages.</summary>
    public ulong? HugePageSizeBytes { get; init; }

    /// <summary>Whether the memory is locked in host RAM (never swapped).</summary>
    public bool Locked { get; init; }

    /// <summary>Memory source (memfd, file, anonymous), when set.</summary>
    public string? Source { get; init; }

    /// <summary>Balloon device model (virtio, none, ...); null when the VM has none.</summary>
    public string? BalloonModel { get; init; }

    /// <summary>Whether this was read from the persistent definition rather than the running VM.</summary>
    public bool FromConfig { get; init; }

    /// <summary>The connection URI this was read from.</summary>
    public string Uri { get; init; } = "";

    /// <inheritdoc />
    public override string ToString() => VMName;
}

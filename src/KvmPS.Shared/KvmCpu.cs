namespace KvmPS;

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

    /// <summary>Maximum number of vCPUs (the table's vCPUs column; same as <see cref="MaxVCpuCount"/>).</summary>
    public int VCpus => MaxVCpuCount;

    /// <summary>The topology as "Ss x Cc x Tt"; null when no topology is set.</summary>
    public string? Topology => Sockets is { } s && s != 0 ? $"{s}s x {Cores}c x {Threads}t" : null;
}

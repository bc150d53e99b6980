namespace KvmPS;

/// <summary>A VM's guest CPU: mode, model, topology, cache and features (Get-KvmCpu).</summary>
public sealed class KvmCpu
{
    /// <summary>Name of the VM.</summary>
    public string VMName { get; internal init; } = "";

    /// <summary>CPU mode; null when the VM leaves it to the hypervisor's default.</summary>
    public KvmCpuMode? Mode { get; internal init; }

    /// <summary>Named CPU model (custom mode), or the fallback model libvirt recorded.</summary>
    public string? Model { get; internal init; }

    /// <summary>Sockets of the guest topology, when one is set.</summary>
    public int? Sockets { get; internal init; }

    /// <summary>Dies per socket, when a topology is set.</summary>
    public int? Dies { get; internal init; }

    /// <summary>Cores per die, when a topology is set.</summary>
    public int? Cores { get; internal init; }

    /// <summary>Threads per core, when a topology is set.</summary>
    public int? Threads { get; internal init; }

    /// <summary>CPU cache mode (passthrough, emulate, disable), when set.</summary>
    public string? CacheMode { get; internal init; }

    /// <summary>CPU features with their policies.</summary>
    public KvmCpuFeature[] Features { get; internal init; } = Array.Empty<KvmCpuFeature>();

    /// <summary>Whether the guest is given the virtualization extension (vmx or svm required).</summary>
    public bool Nested { get; internal init; }

    /// <summary>Maximum number of vCPUs (what the topology must multiply up to).</summary>
    public int MaxVCpuCount { get; internal init; }

    /// <summary>Whether this was read from the persistent definition rather than the running VM.</summary>
    public bool FromConfig { get; internal init; }

    /// <summary>The connection URI this was read from.</summary>
    public string Uri { get; internal init; } = "";

    /// <inheritdoc />
    public override string ToString() => VMName;

    /// <summary>Maximum number of vCPUs (the table's vCPUs column; same as <see cref="MaxVCpuCount"/>).</summary>
    public int VCpus => MaxVCpuCount;

    /// <summary>The topology as "Ss x Cc x Tt"; null when no topology is set.</summary>
    public string? Topology => Sockets is { } s && s != 0 ? $"{s}s x {Cores}c x {Threads}t" : null;
}

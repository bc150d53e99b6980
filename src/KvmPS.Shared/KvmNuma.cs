namespace KvmPS;

/// <summary>A VM's guest NUMA layout and host memory binding (Get-KvmNuma).</summary>
public sealed class KvmNuma
{
    /// <summary>Name of the VM.</summary>
    public string VMName { get; internal init; } = "";

    /// <summary>Guest NUMA cells; empty when the guest has one implicit node.</summary>
    public KvmGuestNumaCell[] Cells { get; internal init; } = Array.Empty<KvmGuestNumaCell>();

    /// <summary>Host memory binding mode (numatune), when set.</summary>
    public KvmNumaMemoryMode? MemoryMode { get; internal init; }

    /// <summary>Host NUMA nodes the memory is bound to, as a nodeset string.</summary>
    public string? HostNodes { get; internal init; }

    /// <summary>Whether this was read from the persistent definition rather than the running VM.</summary>
    public bool FromConfig { get; internal init; }

    /// <summary>The connection URI this was read from.</summary>
    public string Uri { get; internal init; } = "";

    /// <inheritdoc />
    public override string ToString() => VMName;

    /// <summary>The guest cells as "id: vCPU cpus, n MiB on node h", joined with "; " (the table's Layout column).</summary>
    public string Layout => string.Join("; ", Cells.Select(c =>
        $"{c.Id}: vCPU {c.Cpus}, {Math.Round(c.MemoryBytes / (1024.0 * 1024.0))} MiB" + (string.IsNullOrEmpty(c.HostNodes) ? "" : $" on node {c.HostNodes}")));
}

namespace KvmPS;

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

    /// <summary>The guest cells as "id: vCPU cpus, n MiB on node h", joined with "; " (the table's Layout column).</summary>
    public string Layout => string.Join("; ", Cells.Select(c =>
        $"{c.Id}: vCPU {c.Cpus}, {Math.Round(c.MemoryBytes / (1024.0 * 1024.0))} MiB" + (string.IsNullOrEmpty(c.HostNodes) ? "" : $" on node {c.HostNodes}")));
}

namespace KvmPS;

/// <summary>One finding of Test-KvmHost: what was checked, what was seen, and how to fix it.</summary>
public sealed class KvmHostCheck
{
    /// <summary>Stable name of the check (CpuVirtualization, KvmModules, KvmDevice, ...).</summary>
    public string Name { get; internal init; } = "";

    /// <summary>Pass, Warn, Fail or Skip.</summary>
    public KvmCheckStatus Status { get; internal init; }

    /// <summary>What was seen, with the actual values.</summary>
    public string Message { get; internal init; } = "";

    /// <summary>The command(s) that fix the finding on this distribution, one per line; empty when there is nothing to fix.</summary>
    public string Remedy { get; internal init; } = "";

    /// <summary>Whether Repair-KvmHost can apply the remedy itself.</summary>
    public bool CanRepair { get; internal init; }

    /// <summary>Name of the host that was checked.</summary>
    public string ComputerName { get; internal init; } = "";

    /// <summary>The libvirt URI of the report this check belongs to.</summary>
    public string Uri { get; internal init; } = "";

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Status}";
}

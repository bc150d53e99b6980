namespace KvmPS;

/// <summary>Outcome of one host readiness check.</summary>
public enum KvmCheckStatus
{
    /// <summary>The host meets the requirement.</summary>
    Pass,

    /// <summary>The host works, but not as well as it could (an optional feature is missing).</summary>
    Warn,

    /// <summary>A requirement for running KVM guests is not met.</summary>
    Fail,

    /// <summary>The check could not be made (remote host, missing prerequisite); Message says why.</summary>
    Skip,
}

/// <summary>The readiness of a host for KVM, as returned by Test-KvmHost.</summary>
public sealed class KvmHostReport
{
    /// <summary>Name of the host that was checked.</summary>
    public string ComputerName { get; init; } = "";

    /// <summary>The libvirt URI the libvirt-side checks used.</summary>
    public string Uri { get; init; } = "";

    /// <summary>Whether the URI names another machine: then the file-based checks are skipped.</summary>
    public bool IsRemote { get; init; }

    /// <summary>The distribution the remedies are written for (from /etc/os-release), e.g. <c>debian 12</c>.</summary>
    public string Distribution { get; init; } = "";

    /// <summary>True when no check failed (warnings and skipped checks do not count against readiness).</summary>
    public bool IsReady => Checks.All(c => c.Status != KvmCheckStatus.Fail);

    /// <summary>The checks that were made, in a fixed order.</summary>
    public KvmHostCheck[] Checks { get; init; } = Array.Empty<KvmHostCheck>();

    /// <summary>Number of checks with each status, e.g. <c>10 pass, 2 warn, 1 fail, 1 skip</c>.</summary>
    public string Summary =>
        $"{Count(KvmCheckStatus.Pass)} pass, {Count(KvmCheckStatus.Warn)} warn, {Count(KvmCheckStatus.Fail)} fail, {Count(KvmCheckStatus.Skip)} skip";

    private int Count(KvmCheckStatus s) => Checks.Count(c => c.Status == s);
}

/// <summary>One finding of Test-KvmHost: what was checked, what was seen, and how to fix it.</summary>
public sealed class KvmHostCheck
{
    /// <summary>Stable name of the check (CpuVirtualization, KvmModules, KvmDevice, ...).</summary>
    public string Name { get; init; } = "";

    /// <summary>Pass, Warn, Fail or Skip.</summary>
    public KvmCheckStatus Status { get; init; }

    /// <summary>What was seen, with the actual values.</summary>
    public string Message { get; init; } = "";

    /// <summary>The command(s) that fix the finding on this distribution, one per line; empty when there is nothing to fix.</summary>
    public string Remedy { get; init; } = "";

    /// <summary>Whether Repair-KvmHost can apply the remedy itself.</summary>
    public bool CanRepair { get; init; }

    /// <summary>Name of the host that was checked.</summary>
    public string ComputerName { get; init; } = "";

    /// <summary>The libvirt URI of the report this check belongs to.</summary>
    public string Uri { get; init; } = "";

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Status}";
}

/// <summary>A change Repair-KvmHost made to the host.</summary>
public sealed class KvmHostRepair
{
    /// <summary>The check the change answers.</summary>
    public string Check { get; init; } = "";

    /// <summary>What was done, in words.</summary>
    public string Action { get; init; } = "";

    /// <summary>The command line that ran, or the file that was written.</summary>
    public string Command { get; init; } = "";

    /// <summary>The state before the change (a file's value, whether a module was loaded, ...).</summary>
    public string Before { get; init; } = "";

    /// <summary>The state read back after the change.</summary>
    public string After { get; init; } = "";

    /// <summary>Name of the host that was changed.</summary>
    public string ComputerName { get; init; } = "";
}

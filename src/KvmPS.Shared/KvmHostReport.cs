namespace KvmPS;

/// <summary>The readiness of a host for KVM, as returned by Test-KvmHost.</summary>
public sealed class KvmHostReport
{
    /// <summary>Name of the host that was checked.</summary>
    public string ComputerName { get; internal init; } = "";

    /// <summary>The libvirt URI the libvirt-side checks used.</summary>
    public string Uri { get; internal init; } = "";

    /// <summary>Whether the URI names another machine: then the file-based checks are skipped.</summary>
    public bool IsRemote { get; internal init; }

    /// <summary>The distribution the remedies are written for (from /etc/os-release), e.g. <c>debian 12</c>.</summary>
    public string Distribution { get; internal init; } = "";

    /// <summary>True when no check failed (warnings and skipped checks do not count against readiness).</summary>
    public bool IsReady => Checks.All(c => c.Status != KvmCheckStatus.Fail);

    /// <summary>The checks that were made, in a fixed order.</summary>
    public KvmHostCheck[] Checks { get; internal init; } = Array.Empty<KvmHostCheck>();

    /// <summary>Number of checks with each status, e.g. <c>10 pass, 2 warn, 1 fail, 1 skip</c>.</summary>
    public string Summary =>
        $"{Count(KvmCheckStatus.Pass)} pass, {Count(KvmCheckStatus.Warn)} warn, {Count(KvmCheckStatus.Fail)} fail, {Count(KvmCheckStatus.Skip)} skip";

    private int Count(KvmCheckStatus s) => Checks.Count(c => c.Status == s);
}

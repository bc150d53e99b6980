namespace KvmPS.Engine.HostChecks;

/// <summary>One check's result before it becomes the public <see cref="KvmHostCheck"/>.</summary>
public sealed record HostCheckFinding(KvmCheckStatus Status, string Message, IReadOnlyList<string> Remedy)
{
    public static HostCheckFinding Pass(string message) => new(KvmCheckStatus.Pass, message, Array.Empty<string>());
    public static HostCheckFinding Skip(string message) => new(KvmCheckStatus.Skip, message, Array.Empty<string>());
    public static HostCheckFinding Warn(string message, params string[] remedy) => new(KvmCheckStatus.Warn, message, remedy);
    public static HostCheckFinding Fail(string message, params string[] remedy) => new(KvmCheckStatus.Fail, message, remedy);

    /// <summary>What checks that need libvirt say when it does not answer.</summary>
    public static HostCheckFinding LibvirtUnreachable() => Skip("libvirt is not reachable at the URI (see LibvirtDaemon).");
}

namespace KvmPS.Engine.HostChecks;

/// <summary>The names of the host checks, in the order Test-KvmHost makes them.</summary>
public static class HostCheckNames
{
    public const string CpuVirtualization = "CpuVirtualization";
    public const string KvmModules = "KvmModules";
    public const string KvmDevice = "KvmDevice";
    public const string UserGroups = "UserGroups";
    public const string LibvirtDaemon = "LibvirtDaemon";
    public const string QemuEmulator = "QemuEmulator";
    public const string KvmDomainType = "KvmDomainType";
    public const string NestedVirtualization = "NestedVirtualization";
    public const string HugePages = "HugePages";
    public const string Iommu = "Iommu";
    public const string VhostNet = "VhostNet";
    public const string Tun = "Tun";
    public const string Cgroups = "Cgroups";
    public const string SecurityDriver = "SecurityDriver";
    public const string KvmGuestRuns = "KvmGuestRuns";
    public const string KataCpu = "KataCpu";
    public const string KataModules = "KataModules";
    public const string KataRuntime = "KataRuntime";

    /// <summary>The checks of Test-KvmHost -Profile Kata (kata-check's rules), in their order: a VM must start too.</summary>
    public static readonly IReadOnlyList<string> Kata = new[] { KataCpu, KataModules, KvmDevice, KvmGuestRuns, KataRuntime };

    public static readonly IReadOnlyList<string> All = new[]
    {
        CpuVirtualization, KvmModules, KvmDevice, UserGroups, LibvirtDaemon, QemuEmulator, KvmDomainType,
        NestedVirtualization, HugePages, Iommu, VhostNet, Tun, Cgroups, SecurityDriver, KvmGuestRuns,
    };

    /// <summary>Checks that read the host's files; they are skipped for a remote URI.</summary>
    public static readonly IReadOnlySet<string> FileBased = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        CpuVirtualization, KvmModules, KvmDevice, UserGroups, NestedVirtualization, VhostNet, Tun, Cgroups,
    };

    /// <summary>The Kata profile's own checks that read the host's files (skipped for a remote URI too).</summary>
    public static readonly IReadOnlySet<string> KataFileBased = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { KataCpu, KataModules, KataRuntime };

    /// <summary>The canonical spelling of a check name, or null when there is no such check.</summary>
    public static string? Canonical(string name) =>
        All.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
}

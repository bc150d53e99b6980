namespace KvmPS.Engine.HostChecks;

/// <summary>What Repair-KvmHost may do beyond the safe remedies, and the huge pages it should reserve.</summary>
public sealed class RepairOptions
{
    /// <summary>How many free huge pages of the chosen size the host should have; null: leave huge pages alone.</summary>
    public ulong? HugePageCount { get; init; }

    /// <summary>Huge page size in bytes; null: the kernel's default size.</summary>
    public ulong? HugePageSizeBytes { get; init; }

    /// <summary>Whether missing packages (libvirt's daemon, QEMU, kmod) may be installed.</summary>
    public bool AllowPackageInstall { get; init; }

    /// <summary>Everything allowed: tells whether a remedy can be applied at all.</summary>
    public static readonly RepairOptions Permissive = new() { HugePageCount = 1, AllowPackageInstall = true };
}

namespace KvmPS.Engine.Domains;

/// <summary>What <see cref="VmInstallPlan"/> needs to know of a request to split its XML into the install's first boot and the final definition.</summary>
public sealed record VmInstallFacts
{
    /// <summary>The install CD-ROM's host path (-Cdrom, not -Import).</summary>
    public string? InstallCdrom { get; init; }

    /// <summary>The cloud-init seed ISO's host path.</summary>
    public string? Seed { get; init; }

    /// <summary>The install kernel, initrd and arguments (-Location); boot once, never kept.</summary>
    public string? InstallKernel { get; init; }
    public string? InstallInitrd { get; init; }
    public string? InstallArgs { get; init; }

    /// <summary>The first boot is from the network (-Pxe).</summary>
    public bool Pxe { get; init; }

    /// <summary>Windows installs reboot several times from their medium: virt-install keeps it inserted.</summary>
    public bool KeepInstallMedia { get; init; }

    /// <summary>The first boot runs now (-Start); else the definition keeps the medium for a later start.</summary>
    public bool Start { get; init; }

    /// <summary>The boot order the user asked for (hd, cdrom, network, fd), for the final definition.</summary>
    public IReadOnlyList<string> BootOrder { get; init; } = Array.Empty<string>();

    /// <summary>Whether the driver takes an SMBIOS sysinfo (QEMU and the test driver on x86/ARM: as virt-install).</summary>
    public bool Smbios { get; init; } = true;

    /// <summary>An install step: a CD-ROM, an install tree or PXE (virt-install's has_install_phase).</summary>
    public bool HasInstallPhase => InstallCdrom is not null || InstallKernel is not null || Pxe;

    /// <summary>Whether the first boot differs from the final definition (an install, or a cloud-init seed to detach).</summary>
    public bool NeedsFirstBoot => HasInstallPhase || Seed is not null;
}

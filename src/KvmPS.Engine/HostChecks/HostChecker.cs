using KvmPS.Engine.HostChecks.Checks;

namespace KvmPS.Engine.HostChecks;

/// <summary>
/// Runs the readiness checks (one <see cref="IHostCheck"/> each, in Checks/) and turns their
/// findings into the report, with whether Repair-KvmHost can fix each.
/// </summary>
public static class HostChecker
{
    /// <summary>Every check, in the order Test-KvmHost makes them (<see cref="HostCheckNames.All"/>).</summary>
    internal static readonly IReadOnlyList<IHostCheck> Checks = new IHostCheck[]
    {
        new CpuVirtualizationCheck(),
        new KvmModulesCheck(),
        new KvmDeviceCheck(),
        new UserGroupsCheck(),
        new LibvirtDaemonCheck(),
        new QemuEmulatorCheck(),
        new KvmDomainTypeCheck(),
        new NestedVirtualizationCheck(),
        new HugePagesCheck(),
        new IommuCheck(),
        new VhostNetCheck(),
        new TunCheck(),
        new CgroupsCheck(),
        new SecurityDriverCheck(),
        new KvmGuestRunsCheck(),
    };

    /// <summary>The checks only the Kata profile makes (it reuses KvmDevice and KvmGuestRuns too).</summary>
    internal static readonly IReadOnlyList<IHostCheck> KataChecks = new IHostCheck[] { new KataCpuCheck(), new KataModulesCheck(), new KataRuntimeCheck() };

    private static readonly Dictionary<string, IHostCheck> s_byName = Checks.Concat(KataChecks).ToDictionary(c => c.Name, StringComparer.Ordinal);

    /// <summary>Runs the named checks (all when <paramref name="names"/> is null), in the fixed order.</summary>
    public static KvmHostReport Run(HostCheckContext ctx, IEnumerable<string>? names = null) => Run(ctx, names, HostCheckNames.All);

    /// <summary>The checks of a profile: Kata (kata-check's rules, <see cref="HostCheckNames.Kata"/>).</summary>
    public static KvmHostReport RunProfile(HostCheckContext ctx, string profile) =>
        Run(ctx, null, profile == "Kata" ? HostCheckNames.Kata : HostCheckNames.All);

    private static KvmHostReport Run(HostCheckContext ctx, IEnumerable<string>? names, IReadOnlyList<string> order)
    {
        var wanted = names is null ? null : new HashSet<string>(names.Select(n => HostCheckNames.Canonical(n) ?? n), StringComparer.Ordinal);
        var findings = order
            .Where(name => wanted is null || wanted.Contains(name))
            .Select(name => (Name: name, Finding: RunOne(ctx, name)))
            .ToList();
        string computer = ctx.ComputerName;
        // The canonical URI when a check opened the connection (libvirt's default resolved);
        // file-only checks leave libvirt alone.
        string uri = ctx.OpenedConnection?.Uri ?? ctx.Uri;
        var checks = findings.Select(x => new KvmHostCheck
        {
            Name = x.Name,
            Status = x.Finding.Status,
            Message = x.Finding.Message,
            Remedy = string.Join("\n", x.Finding.Remedy),
            CanRepair = x.Finding.Status is KvmCheckStatus.Warn or KvmCheckStatus.Fail
                && !ctx.IsRemote && HostRepairPlanner.Plan(x.Name, ctx, RepairOptions.Permissive).Steps.Count > 0,
            ComputerName = computer,
            Uri = uri,
        }).ToList();
        return new KvmHostReport
        {
            ComputerName = computer,
            Uri = uri,
            IsRemote = ctx.IsRemote,
            Distribution = ctx.IsRemote ? "" : ctx.Distro.ToString(),
            Checks = checks.ToArray(),
        };
    }

    /// <summary>Runs one check; a remote URI skips the file-based ones.</summary>
    public static HostCheckFinding RunOne(HostCheckContext ctx, string name)
    {
        if (ctx.IsRemote && (HostCheckNames.FileBased.Contains(name) || HostCheckNames.KataFileBased.Contains(name)))
        {
            return HostCheckFinding.Skip($"Reads the host's files: not possible for the remote URI {ctx.Uri}.");
        }
        try
        {
            return s_byName[name].Run(ctx);
        }
        catch (LibvirtException e)
        {
            // One failing libvirt call spoils one check, not the report.
            return HostCheckFinding.Fail($"{e.Function} failed: {e.LibvirtMessage}");
        }
    }
}

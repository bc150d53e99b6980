namespace KvmPS.Engine.HostChecks.Checks;

/// <summary>Whether the cgroup controllers libvirt uses for limits are mounted.</summary>
internal sealed class CgroupsCheck : IHostCheck
{
    public string Name => HostCheckNames.Cgroups;

    private static readonly string[] s_v1Controllers = { "cpu", "cpuacct", "cpuset", "memory", "devices", "blkio" };
    private static readonly string[] s_v2Controllers = { "cpu", "cpuset", "memory", "io" };

    public HostCheckFinding Run(HostCheckContext ctx)
    {
        var mounts = (ctx.Fs.ReadText("/proc/mounts") ?? "").Split('\n')
            .Select(l => l.Split(' '))
            .Where(f => f.Length >= 4)
            .Select(f => (Point: f[1], Type: f[2], Options: f[3].Split(',')))
            .ToList();
        bool unified = mounts.Any(m => m.Type == "cgroup2" && m.Point == "/sys/fs/cgroup");
        if (unified)
        {
            string[] have = (ctx.Fs.ReadText("/sys/fs/cgroup/cgroup.controllers") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            string[] missing = s_v2Controllers.Where(c => !have.Contains(c)).ToArray();
            string seen = $"cgroup v2 at /sys/fs/cgroup with controllers: {(have.Length == 0 ? "none" : string.Join(", ", have))} (device access goes through eBPF, not a controller)";
            if (missing.Length == 0)
            {
                return HostCheckFinding.Pass(seen + ".");
            }
            return HostCheckFinding.Warn($"{seen}; missing {string.Join(", ", missing)}: libvirt cannot apply those limits to guests.",
                $"# The kernel does not offer {string.Join(", ", missing)} on the unified hierarchy: check that no cgroup v1 hierarchy holds them (grep cgroup /proc/mounts) and that the kernel has them (cat /proc/cgroups).");
        }
        var v1 = mounts.Where(m => m.Type == "cgroup").SelectMany(m => m.Options).ToHashSet(StringComparer.Ordinal);
        string[] present = s_v1Controllers.Where(v1.Contains).ToArray();
        string[] absent = s_v1Controllers.Where(c => !v1.Contains(c)).ToArray();
        string hybrid = mounts.FirstOrDefault(m => m.Type == "cgroup2").Point is { } p ? $"; cgroup v2 also mounted at {p}" : "";
        string seenV1 = $"cgroup v1 controllers mounted: {(present.Length == 0 ? "none" : string.Join(", ", present))}{hybrid}";
        if (absent.Length == 0)
        {
            return HostCheckFinding.Pass(seenV1 + ".");
        }
        var enabled = (ctx.Fs.ReadText("/proc/cgroups") ?? "").Split('\n')
            .Select(l => l.Split('\t', ' ').Where(s => s.Length > 0).ToArray())
            .Where(f => f.Length >= 4 && !f[0].StartsWith('#'))
            .ToDictionary(f => f[0], f => f[3] == "1", StringComparer.Ordinal);
        var remedy = new List<string>();
        foreach (string c in absent)
        {
            if (!enabled.TryGetValue(c, out bool on))
            {
                remedy.Add($"# The kernel has no {c} controller (not in /proc/cgroups).");
            }
            else if (!on)
            {
                remedy.Add($"# {c} is disabled on the kernel command line: add cgroup_enable={c} and boot again.");
            }
            else
            {
                remedy.Add($"{ctx.Sudo}mkdir -p /sys/fs/cgroup/{c}");
                remedy.Add($"{ctx.Sudo}mount -t cgroup -o {c} cgroup /sys/fs/cgroup/{c}");
            }
        }
        return HostCheckFinding.Warn($"{seenV1}; missing {string.Join(", ", absent)}: libvirt cannot apply those limits to guests.", remedy.ToArray());
    }
}

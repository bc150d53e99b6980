using System.Xml.Linq;

namespace KvmPS.Engine.Tuning;

/// <summary>
/// The host CPUs other VMs hold, and which VM holds each through what: vCPU pins, the emulator
/// pin, IOThread pins and the default placement (&lt;vcpu cpuset&gt;) of threads that have no pin
/// of their own. A pin that allows every host CPU restricts nothing and holds nothing.
/// </summary>
public sealed class HostCpuClaims
{
    private readonly SortedDictionary<string, SortedDictionary<string, SortedSet<int>>> _byVm = new(StringComparer.Ordinal);
    private readonly HashSet<int> _cpus = new();

    /// <summary>Every host CPU some other VM holds.</summary>
    public IReadOnlySet<int> Cpus => _cpus;

    /// <summary>Records that <paramref name="vm"/> holds <paramref name="cpus"/> through <paramref name="what"/> (e.g. "emulator").</summary>
    public void Add(string vm, string what, IEnumerable<int> cpus)
    {
        if (!_byVm.TryGetValue(vm, out var kinds))
        {
            _byVm[vm] = kinds = new SortedDictionary<string, SortedSet<int>>(StringComparer.Ordinal);
        }
        if (!kinds.TryGetValue(what, out var set))
        {
            kinds[what] = set = new SortedSet<int>();
        }
        foreach (int c in cpus)
        {
            set.Add(c);
            _cpus.Add(c);
        }
    }

    /// <summary>Adds what one domain definition holds; <paramref name="hostCpus"/> are all the host's CPUs.</summary>
    public void AddDomain(string vm, XElement domain, IReadOnlySet<int> hostCpus)
    {
        PinState s = CpuTuneXml.Read(domain);
        void Hold(string what, int[]? cpus)
        {
            // A set covering the whole host is the same as no pin: the thread may run anywhere.
            if (cpus is { Length: > 0 } && !hostCpus.All(cpus.Contains))
            {
                Add(vm, what, cpus);
            }
        }
        foreach (int[] cpus in s.VCpus.Values)
        {
            Hold("vCPUs", cpus);
        }
        Hold("emulator", s.Emulator);
        foreach (int[] cpus in s.IOThreads.Values)
        {
            Hold("IOThreads", cpus);
        }
        // Threads without a pin of their own run on the default placement.
        bool someVCpuFloats = Enumerable.Range(0, s.MaxVCpus).Any(v => !s.VCpus.ContainsKey(v));
        bool someIOThreadFloats = s.IOThreadIds.Any(id => !s.IOThreads.ContainsKey(id));
        if (someVCpuFloats || s.Emulator is null || someIOThreadFloats)
        {
            Hold("cpuset", s.DefaultCpus);
        }
    }

    /// <summary>The VMs holding any of <paramref name="cpus"/>, each with what holds which of them: "a (vCPUs 0-3), b (emulator 8)".</summary>
    public string Describe(IEnumerable<int> cpus)
    {
        var wanted = cpus.ToHashSet();
        var parts = new List<string>();
        foreach (var (vm, kinds) in _byVm)
        {
            var held = kinds.OrderBy(k => KindOrder(k.Key)).ThenBy(k => k.Key, StringComparer.Ordinal)
                .Select(k => (What: k.Key, Cpus: k.Value.Where(wanted.Contains).ToArray()))
                .Where(k => k.Cpus.Length > 0)
                .Select(k => $"{k.What} {CpuSet.Format(k.Cpus)}")
                .ToList();
            if (held.Count > 0)
            {
                parts.Add($"'{vm}' ({string.Join(", ", held)})");
            }
        }
        return string.Join(", ", parts);
    }

    private static int KindOrder(string what) => what switch { "vCPUs" => 0, "emulator" => 1, "IOThreads" => 2, "cpuset" => 3, _ => 4 };

    /// <summary>Names of the VMs holding any of <paramref name="cpus"/>.</summary>
    public IReadOnlyList<string> HoldersOf(IEnumerable<int> cpus)
    {
        var wanted = cpus.ToHashSet();
        return _byVm.Where(v => v.Value.Values.Any(set => set.Overlaps(wanted))).Select(v => v.Key).ToList();
    }
}

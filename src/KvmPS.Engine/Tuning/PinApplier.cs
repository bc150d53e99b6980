using System.Globalization;
using System.Xml.Linq;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Engine.Tuning;

/// <summary>
/// Set-KvmCpuPin's work: turns a request (explicit pins, a map, or an -Auto plan from
/// <see cref="PinPlanner"/>) into a <see cref="PinChange"/> for one VM, then applies it — to the
/// running VM's threads first, then to its persistent definition in one validated define. Every
/// live pin changed is remembered; when a later step fails, they are all put back (one undo stack),
/// so a failed request leaves the VM as it was.
/// </summary>
public static class PinApplier
{
    /// <summary>
    /// Checks the request and works out the change, reading only (nothing changes here, so
    /// -WhatIf still reports bad input). Throws TuningException for a refused request.
    /// </summary>
    public static PinApplication Plan(LibvirtConnection conn, DomainHandle h, string name, PinChangeRequest request,
        Action<string>? log = null, Action<string>? warn = null)
    {
        CheckParameterCombination(request);
        bool persistent = DomainService.IsPersistent(h);
        bool active = DomainService.IsActive(h);
        XElement config = SafeXml.Parse(persistent ? DomainService.GetInactiveXml(h) : LibvirtConnection.GetXml(h));
        HostTopology host = HostTopology.Read(conn);
        PinState state = CpuTuneXml.Read(config);
        PinChange change = BuildChange(conn, host, config, state, name, request, log, warn);
        return new PinApplication { VMName = name, Change = change, Host = host, Persistent = persistent, Active = active };
    }

    /// <summary>
    /// Applies a planned change: live pins (when the VM runs), then the configuration (when it has
    /// one). On any failure the live pins already changed are restored and the failure rethrown;
    /// a live pin that cannot be restored is reported through <paramref name="warn"/>.
    /// </summary>
    public static void Apply(LibvirtConnection conn, DomainHandle h, PinApplication plan, Action<string>? log = null, Action<string>? warn = null) =>
        Apply(conn, h, plan, LibvirtPins.Instance, log, warn);

    internal static void Apply(LibvirtConnection conn, DomainHandle h, PinApplication plan, ILivePins pins,
        Action<string>? log = null, Action<string>? warn = null)
    {
        var undo = new Stack<Action>();
        try
        {
            if (plan.Active)
            {
                ApplyLive(h, plan.Host, plan.Change, pins, undo, log);
            }
            if (plan.Persistent)
            {
                DomainEditor.EditConfig(conn, h, d => CpuTuneXml.Apply(d, plan.Change));
            }
        }
        catch
        {
            // Whatever failed, put the running VM's threads back where they were; the
            // configuration was not changed (it is written last, in one validated define).
            var failures = new List<string>();
            while (undo.Count > 0)
            {
                try
                {
                    undo.Pop()();
                }
                catch (LibvirtException e)
                {
                    failures.Add($"VM '{plan.VMName}': could not restore a live pin ({e.LibvirtMessage}).");
                }
            }
            failures.ForEach(f => warn?.Invoke(f));
            throw;
        }
    }

    private static void CheckParameterCombination(PinChangeRequest r)
    {
        bool single = r.VCpu is not null || r.HostCpu is not null;
        if ((r.VCpu is not null) != (r.HostCpu is not null))
        {
            throw new TuningException("VCpuNeedsHostCpu", "-VCpu and -HostCpu go together: -VCpu 0 -HostCpu 2.");
        }
        int modes = (single ? 1 : 0) + (r.Map is null ? 0 : 1) + (r.Auto ? 1 : 0);
        if (modes > 1)
        {
            throw new TuningException("ConflictingPinParameters", "Use one of -VCpu/-HostCpu, -Map or -Auto.");
        }
        if (!r.Auto && (r.Strategy is not null || r.ExcludeHostCpu is not null || r.AllowOverlap is not null))
        {
            throw new TuningException("AutoOptionWithoutAuto", "-Strategy, -ExcludeHostCpu and -AllowOverlap go with -Auto.");
        }
        if (r.IOThread is not null && r.IOThreadCpu is null)
        {
            throw new TuningException("IOThreadNeedsIOThreadCpu", "-IOThread names the IOThread that -IOThreadCpu pins: give -IOThreadCpu too.");
        }
        if (modes == 0 && r.EmulatorCpu is null && r.IOThreadCpu is null && !r.Clear)
        {
            throw new TuningException("NothingToPin", "Nothing to pin: give -VCpu/-HostCpu, -Map, -Auto, -EmulatorCpu, -IOThreadCpu or -Clear.");
        }
    }

    private static PinChange BuildChange(LibvirtConnection conn, HostTopology host, XElement config, PinState state, string name,
        PinChangeRequest r, Action<string>? log, Action<string>? warn)
    {
        var vcpus = new Dictionary<int, int[]>();
        int[]? emulator = r.EmulatorCpu is null ? null : host.ParseHostCpus(r.EmulatorCpu, "-EmulatorCpu");
        var iothreads = new Dictionary<int, int[]>();

        void CheckVCpu(int v)
        {
            if (v < 0 || v >= state.MaxVCpus)
            {
                throw new TuningException("VCpuOutOfRange", $"vCPU {v} does not exist: VM '{name}' has vCPUs 0-{state.MaxVCpus - 1}.");
            }
        }

        if (r.HostCpu is not null && r.VCpu is int single)
        {
            CheckVCpu(single);
            vcpus[single] = host.ParseHostCpus(r.HostCpu, "-HostCpu");
        }
        if (r.Map is not null)
        {
            if (r.Map.Count == 0)
            {
                throw new TuningException("EmptyPinMap", "-Map is empty: give @{<vCPU>='<host cpuset>'; ...}.");
            }
            foreach (var (key, set) in r.Map)
            {
                if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out int v))
                {
                    throw new TuningException("InvalidPinMap", $"-Map key '{key}' is not a vCPU number.");
                }
                CheckVCpu(v);
                if (string.IsNullOrWhiteSpace(set))
                {
                    throw new TuningException("InvalidCpuSet", $"-Map: vCPU {v} has no host cpuset.");
                }
                vcpus[v] = host.ParseHostCpus(set, $"-Map vCPU {v}");
            }
        }
        bool replace = false;
        if (r.Auto)
        {
            PinPlan plan = PlanAuto(conn, host, config, state, name, r, log);
            plan.Warnings.ForEach(w => warn?.Invoke($"VM '{name}': {w}"));
            plan.Notes.ForEach(n => log?.Invoke($"VM '{name}': {n}"));
            log?.Invoke($"VM '{name}': planned vCPUs on host cell(s) {string.Join(",", plan.HostCells)}.");
            for (int v = 0; v < plan.VCpuHostCpu.Length; v++)
            {
                vcpus[v] = new[] { plan.VCpuHostCpu[v] };
            }
            emulator ??= plan.EmulatorCpus;
            if (r.IOThreadCpu is null)
            {
                // IOThreads do the VM's I/O beside the emulator: they share its CPUs.
                foreach (int id in state.IOThreadIds)
                {
                    iothreads[id] = plan.EmulatorCpus;
                }
            }
            replace = true;
        }
        if (r.IOThreadCpu is not null)
        {
            int[] cpus = host.ParseHostCpus(r.IOThreadCpu, "-IOThreadCpu");
            if (state.IOThreadIds.Length == 0)
            {
                throw new TuningException("NoIOThreads", $"VM '{name}' has no IOThreads to pin (see <iothreads> in its definition).", TuningErrorKind.InvalidOperation);
            }
            if (r.IOThread is int one && !state.IOThreadIds.Contains(one))
            {
                throw new TuningException("IOThreadNotFound", $"VM '{name}' has no IOThread {one}; its IOThreads are {string.Join(",", state.IOThreadIds)}.");
            }
            foreach (int id in r.IOThread is int only ? new[] { only } : state.IOThreadIds)
            {
                iothreads[id] = cpus;
            }
        }
        return new PinChange { ClearAll = r.Clear, ReplaceVCpus = replace, VCpus = vcpus, Emulator = emulator, IOThreads = iothreads };
    }

    /// <summary>The -Auto plan: the host's free CPUs less the excluded ones and, unless overlap is allowed, every CPU other VMs' pins hold.</summary>
    private static PinPlan PlanAuto(LibvirtConnection conn, HostTopology host, XElement config, PinState state, string name,
        PinChangeRequest r, Action<string>? log)
    {
        bool overlap = r.AllowOverlap == true;
        var excluded = r.ExcludeHostCpu is null ? new HashSet<int>() : host.ParseHostCpus(r.ExcludeHostCpu, "-ExcludeHostCpu").ToHashSet();
        HostCpuClaims? holders = overlap ? null : TuningService.ClaimsOfOtherVMs(conn, name, host);
        var guestCells = NumaXml.Read(config, name, conn.Uri, true).Cells
            .Select(c => CpuSet.Parse(c.Cpus)).ToList();
        if (host.Inferred)
        {
            log?.Invoke($"{conn.Uri} reports no NUMA topology; planning on the layout its node info describes.");
        }
        return PinPlanner.Plan(host, new PinRequest
        {
            VCpuCount = state.MaxVCpus,
            Strategy = r.Strategy ?? KvmPinStrategy.Spread,
            Excluded = excluded,
            Taken = holders?.Cpus ?? new HashSet<int>(),
            Holders = holders,
            AllowOverlap = overlap,
            GuestCells = guestCells.Count > 0 ? guestCells : null,
        });
    }

    /// <summary>
    /// Brings the running VM's threads to the pins the change leaves, remembering how to put each
    /// back. A pin that goes away becomes the default affinity (the VM's cpuset, else every host CPU).
    /// </summary>
    private static void ApplyLive(DomainHandle h, HostTopology host, PinChange change, ILivePins pins, Stack<Action> undo, Action<string>? log)
    {
        XElement live = SafeXml.Parse(LibvirtConnection.GetXml(h));
        PinState before = CpuTuneXml.Read(live);
        var after = new XElement(live);
        CpuTuneXml.Apply(after, change);
        PinState target = CpuTuneXml.Read(after);
        int[] fallback = before.DefaultCpus ?? host.CpuIds.ToArray();
        int map = host.MapLength;

        foreach (int v in OnlineVCpus(live))
        {
            int[] old = before.VCpus.GetValueOrDefault(v) ?? fallback;
            int[] now = target.VCpus.GetValueOrDefault(v) ?? fallback;
            if (!old.SequenceEqual(now))
            {
                log?.Invoke($"Pinning vCPU {v} of the running VM to host CPUs {CpuSet.Format(now)}.");
                pins.PinVCpu(h, v, now, map);
                undo.Push(() => pins.PinVCpu(h, v, old, map));
            }
        }
        int[] oldEm = before.Emulator ?? fallback, newEm = target.Emulator ?? fallback;
        if (!oldEm.SequenceEqual(newEm))
        {
            log?.Invoke($"Pinning the running VM's emulator threads to host CPUs {CpuSet.Format(newEm)}.");
            pins.PinEmulator(h, newEm, map);
            undo.Push(() => pins.PinEmulator(h, oldEm, map));
        }
        foreach (int id in before.IOThreadIds)
        {
            int[] old = before.IOThreads.GetValueOrDefault(id) ?? fallback;
            int[] now = target.IOThreads.GetValueOrDefault(id) ?? fallback;
            if (!old.SequenceEqual(now))
            {
                log?.Invoke($"Pinning IOThread {id} of the running VM to host CPUs {CpuSet.Format(now)}.");
                pins.PinIOThread(h, id, now, map);
                undo.Push(() => pins.PinIOThread(h, id, old, map));
            }
        }
    }

    /// <summary>The vCPUs a running VM has online: &lt;vcpus&gt; when listed, else the first 'current' ones.</summary>
    internal static IEnumerable<int> OnlineVCpus(XElement live)
    {
        var listed = live.Element("vcpus")?.Elements("vcpu").ToList();
        if (listed is { Count: > 0 })
        {
            return listed.Where(v => (string?)v.Attribute("enabled") != "no")
                .Select(v => int.Parse((string)v.Attribute("id")!, CultureInfo.InvariantCulture)).ToList();
        }
        XElement? vcpu = live.Element("vcpu");
        int max = CpuXml.MaxVCpus(live);
        int current = int.TryParse((string?)vcpu?.Attribute("current"), NumberStyles.None, CultureInfo.InvariantCulture, out int c) ? c : max;
        return Enumerable.Range(0, current);
    }

    /// <summary>libvirt's live pin calls.</summary>
    private sealed class LibvirtPins : ILivePins
    {
        public static readonly LibvirtPins Instance = new();

        public void PinVCpu(DomainHandle h, int vcpu, int[] cpus, int mapLength) => TuningService.PinVCpuLive(h, vcpu, cpus, mapLength);

        public void PinEmulator(DomainHandle h, int[] cpus, int mapLength) => TuningService.PinEmulatorLive(h, cpus, mapLength);

        public void PinIOThread(DomainHandle h, int iothread, int[] cpus, int mapLength) => TuningService.PinIOThreadLive(h, iothread, cpus, mapLength);
    }
}

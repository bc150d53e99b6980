using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Xml.Linq;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;
using KvmPS.Engine.Tuning;

namespace KvmPS.Commands;

/// <summary>
/// Pins a VM's vCPUs, emulator threads and IOThreads to host CPUs: explicitly, from a map, or
/// planned from the host topology (-Auto). Applied to the running VM and to its configuration.
/// </summary>
[Cmdlet(VerbsCommon.Set, "KvmCpuPin", SupportsShouldProcess = true, DefaultParameterSetName = "Name")]
[OutputType(typeof(KvmVM))]
public sealed class SetKvmCpuPinCommand : KvmTuningCmdlet
{
    /// <summary>The vCPU to pin (with -HostCpu).</summary>
    [Parameter]
    [ValidateRange(0, 4095)]
    public int VCpu { get; set; }

    /// <summary>Host CPUs for -VCpu, as a cpuset (e.g. 2 or 2-3,6).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HostCpu { get; set; }

    /// <summary>Pins several vCPUs at once: @{0='2'; 1='3'} (vCPU = host cpuset).</summary>
    [Parameter]
    [ValidateNotNull]
    public IDictionary? Map { get; set; }

    /// <summary>Plans the pins from the host topology: one host CPU per vCPU, NUMA- and SMT-aware.</summary>
    [Parameter]
    public SwitchParameter Auto { get; set; }

    /// <summary>-Auto strategy: Spread (one vCPU per physical core) or Compact (fill SMT siblings first).</summary>
    [Parameter]
    public KvmPinStrategy Strategy { get; set; } = KvmPinStrategy.Spread;

    /// <summary>Host CPUs -Auto must not use (e.g. kept for the host), as a cpuset.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ExcludeHostCpu { get; set; }

    /// <summary>Lets -Auto use host CPUs that other VMs' vCPUs are pinned to.</summary>
    [Parameter]
    public SwitchParameter AllowOverlap { get; set; }

    /// <summary>Host CPUs for the emulator threads, as a cpuset (with -Auto it overrides the planned one).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? EmulatorCpu { get; set; }

    /// <summary>Host CPUs for the IOThreads (every IOThread, or the one given by -IOThread), as a cpuset.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? IOThreadCpu { get; set; }

    /// <summary>The IOThread id -IOThreadCpu applies to (default: all of the VM's IOThreads).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int IOThread { get; set; }

    /// <summary>Removes every vCPU, emulator and IOThread pin first (alone, it unpins the VM).</summary>
    [Parameter]
    public SwitchParameter Clear { get; set; }

    /// <summary>Returns the VM after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessTuning(LibvirtConnection conn, DomainHandle h, string name)
    {
        CheckParameterCombination();
        bool persistent = DomainService.IsPersistent(h);
        bool active = DomainService.IsActive(h);
        XElement config = persistent ? XElement.Parse(DomainService.GetInactiveXml(h)) : XElement.Parse(LibvirtConnection.GetXml(h));
        HostTopology host = HostTopology.Read(conn);
        PinState state = CpuTuneXml.Read(config);
        PinChange change = BuildChange(conn, host, config, state, name);

        if (!ShouldProcess(name, Describe(change)))
        {
            return;
        }
        var undo = new Stack<Action>();
        try
        {
            if (active)
            {
                ApplyLive(h, host, change, undo);
            }
            if (persistent)
            {
                DomainEditor.EditConfig(conn, h, d => CpuTuneXml.Apply(d, change));
            }
        }
        catch (Exception failure) when (failure is not (PipelineStoppedException or FlowControlException))
        {
            // Whatever failed, put the running VM's threads back where they were; the
            // configuration was not changed (it is written last, in one validated define).
            while (undo.Count > 0)
            {
                try
                {
                    undo.Pop()();
                }
                catch (LibvirtException e)
                {
                    WriteWarning($"VM '{name}': could not restore a live pin ({e.LibvirtMessage}).");
                }
            }
            throw;
        }
        if (PassThru)
        {
            WriteVM(conn, h);
        }
    }

    private void CheckParameterCombination()
    {
        bool single = Has(nameof(VCpu)) || Has(nameof(HostCpu));
        if (Has(nameof(VCpu)) != Has(nameof(HostCpu)))
        {
            throw TuningExceptionFor("VCpuNeedsHostCpu", "-VCpu and -HostCpu go together: -VCpu 0 -HostCpu 2.");
        }
        int modes = (single ? 1 : 0) + (Map is null ? 0 : 1) + (Auto ? 1 : 0);
        if (modes > 1)
        {
            throw TuningExceptionFor("ConflictingPinParameters", "Use one of -VCpu/-HostCpu, -Map or -Auto.");
        }
        if (!Auto && (Has(nameof(Strategy)) || Has(nameof(ExcludeHostCpu)) || Has(nameof(AllowOverlap))))
        {
            throw TuningExceptionFor("AutoOptionWithoutAuto", "-Strategy, -ExcludeHostCpu and -AllowOverlap go with -Auto.");
        }
        if (Has(nameof(IOThread)) && IOThreadCpu is null)
        {
            throw TuningExceptionFor("IOThreadNeedsIOThreadCpu", "-IOThread names the IOThread that -IOThreadCpu pins: give -IOThreadCpu too.");
        }
        if (modes == 0 && EmulatorCpu is null && IOThreadCpu is null && !Clear)
        {
            throw TuningExceptionFor("NothingToPin", "Nothing to pin: give -VCpu/-HostCpu, -Map, -Auto, -EmulatorCpu, -IOThreadCpu or -Clear.");
        }
    }

    private static TuningException TuningExceptionFor(string id, string message) => new(id, message);

    private PinChange BuildChange(LibvirtConnection conn, HostTopology host, XElement config, PinState state, string name)
    {
        var vcpus = new Dictionary<int, int[]>();
        int[]? emulator = EmulatorCpu is null ? null : host.ParseHostCpus(EmulatorCpu, "-EmulatorCpu");
        var iothreads = new Dictionary<int, int[]>();

        void CheckVCpu(int v)
        {
            if (v < 0 || v >= state.MaxVCpus)
            {
                throw new TuningException("VCpuOutOfRange", $"vCPU {v} does not exist: VM '{name}' has vCPUs 0-{state.MaxVCpus - 1}.");
            }
        }

        if (HostCpu is not null)
        {
            CheckVCpu(VCpu);
            vcpus[VCpu] = host.ParseHostCpus(HostCpu, "-HostCpu");
        }
        if (Map is not null)
        {
            if (Map.Count == 0)
            {
                throw new TuningException("EmptyPinMap", "-Map is empty: give @{<vCPU>='<host cpuset>'; ...}.");
            }
            foreach (DictionaryEntry e in Map)
            {
                if (!int.TryParse(Convert.ToString(e.Key, CultureInfo.InvariantCulture), NumberStyles.None, CultureInfo.InvariantCulture, out int v))
                {
                    throw new TuningException("InvalidPinMap", $"-Map key '{e.Key}' is not a vCPU number.");
                }
                CheckVCpu(v);
                string? set = e.Value is null ? null : Convert.ToString(e.Value is PSObject pso ? pso.BaseObject : e.Value, CultureInfo.InvariantCulture);
                if (string.IsNullOrWhiteSpace(set))
                {
                    throw new TuningException("InvalidCpuSet", $"-Map: vCPU {v} has no host cpuset.");
                }
                vcpus[v] = host.ParseHostCpus(set, $"-Map vCPU {v}");
            }
        }
        bool replace = false;
        if (Auto)
        {
            var excluded = ExcludeHostCpu is null ? new HashSet<int>() : host.ParseHostCpus(ExcludeHostCpu, "-ExcludeHostCpu").ToHashSet();
            var taken = AllowOverlap ? new HashSet<int>() : TuningService.TakenByOtherVMs(conn, name);
            var guestCells = NumaXml.Read(config, name, conn.Uri, true).Cells
                .Select(c => CpuSet.Parse(c.Cpus)).ToList();
            if (host.Inferred)
            {
                WriteVerbose($"{conn.Uri} reports no NUMA topology; planning on the layout its node info describes.");
            }
            PinPlan plan = PinPlanner.Plan(host, new PinRequest
            {
                VCpuCount = state.MaxVCpus,
                Strategy = Strategy,
                Excluded = excluded,
                Taken = taken,
                AllowOverlap = AllowOverlap,
                GuestCells = guestCells.Count > 0 ? guestCells : null,
            });
            plan.Warnings.ForEach(w => WriteWarning($"VM '{name}': {w}"));
            plan.Notes.ForEach(n => WriteVerbose($"VM '{name}': {n}"));
            WriteVerbose($"VM '{name}': planned vCPUs on host cell(s) {string.Join(",", plan.HostCells)}.");
            for (int v = 0; v < plan.VCpuHostCpu.Length; v++)
            {
                vcpus[v] = new[] { plan.VCpuHostCpu[v] };
            }
            emulator ??= plan.EmulatorCpus;
            if (IOThreadCpu is null)
            {
                // IOThreads do the VM's I/O beside the emulator: they share its CPUs.
                foreach (int id in state.IOThreadIds)
                {
                    iothreads[id] = plan.EmulatorCpus;
                }
            }
            replace = true;
        }
        if (IOThreadCpu is not null)
        {
            int[] cpus = host.ParseHostCpus(IOThreadCpu, "-IOThreadCpu");
            if (state.IOThreadIds.Length == 0)
            {
                throw new TuningException("NoIOThreads", $"VM '{name}' has no IOThreads to pin (see <iothreads> in its definition).", TuningErrorKind.InvalidOperation);
            }
            if (Has(nameof(IOThread)) && !state.IOThreadIds.Contains(IOThread))
            {
                throw new TuningException("IOThreadNotFound", $"VM '{name}' has no IOThread {IOThread}; its IOThreads are {string.Join(",", state.IOThreadIds)}.");
            }
            foreach (int id in Has(nameof(IOThread)) ? new[] { IOThread } : state.IOThreadIds)
            {
                iothreads[id] = cpus;
            }
        }
        return new PinChange { ClearAll = Clear, ReplaceVCpus = replace, VCpus = vcpus, Emulator = emulator, IOThreads = iothreads };
    }

    /// <summary>
    /// Brings the running VM's threads to the pins the change leaves, remembering how to put each
    /// back. A pin that goes away becomes the default affinity (the VM's cpuset, else every host CPU).
    /// </summary>
    private void ApplyLive(DomainHandle h, HostTopology host, PinChange change, Stack<Action> undo)
    {
        XElement live = XElement.Parse(LibvirtConnection.GetXml(h));
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
                WriteVerbose($"Pinning vCPU {v} of the running VM to host CPUs {CpuSet.Format(now)}.");
                TuningService.PinVCpuLive(h, v, now, map);
                undo.Push(() => TuningService.PinVCpuLive(h, v, old, map));
            }
        }
        int[] oldEm = before.Emulator ?? fallback, newEm = target.Emulator ?? fallback;
        if (!oldEm.SequenceEqual(newEm))
        {
            WriteVerbose($"Pinning the running VM's emulator threads to host CPUs {CpuSet.Format(newEm)}.");
            TuningService.PinEmulatorLive(h, newEm, map);
            undo.Push(() => TuningService.PinEmulatorLive(h, oldEm, map));
        }
        foreach (int id in before.IOThreadIds)
        {
            int[] old = before.IOThreads.GetValueOrDefault(id) ?? fallback;
            int[] now = target.IOThreads.GetValueOrDefault(id) ?? fallback;
            if (!old.SequenceEqual(now))
            {
                WriteVerbose($"Pinning IOThread {id} of the running VM to host CPUs {CpuSet.Format(now)}.");
                TuningService.PinIOThreadLive(h, id, now, map);
                undo.Push(() => TuningService.PinIOThreadLive(h, id, old, map));
            }
        }
    }

    /// <summary>The vCPUs a running VM has online: &lt;vcpus&gt; when listed, else the first 'current' ones.</summary>
    private static IEnumerable<int> OnlineVCpus(XElement live)
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

    private static string Describe(PinChange c)
    {
        var parts = new List<string>();
        if (c.ClearAll)
        {
            parts.Add("remove all pins");
        }
        parts.AddRange(c.VCpus.OrderBy(p => p.Key).Select(p => $"vCPU {p.Key} -> {CpuSet.Format(p.Value)}"));
        if (c.Emulator is not null)
        {
            parts.Add($"emulator -> {CpuSet.Format(c.Emulator)}");
        }
        parts.AddRange(c.IOThreads.OrderBy(p => p.Key).Select(p => $"IOThread {p.Key} -> {CpuSet.Format(p.Value)}"));
        return "Pin " + string.Join("; ", parts);
    }
}

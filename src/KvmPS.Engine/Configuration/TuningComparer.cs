using System.Collections;
using System.Globalization;
using KvmPS.Engine.Tuning;

namespace KvmPS.Engine.Configuration;

/// <summary>
/// The tuning tables of a VM (Cpu for Set-KvmCpu, CpuPin for Set-KvmCpuPin, Numa for Set-KvmNuma,
/// MemoryBacking for Set-KvmMemory) against its persistent definition. A table that differs in any
/// key is applied whole, so the Set-* cmdlet sees the same request as on the first run.
/// </summary>
public static class TuningComparer
{
    public static void Compare(PlanBuilder plan, HostState.VmState state)
    {
        DesiredSettings s = plan.Resource.Settings;
        string name = state.VM.Name, uri = state.VM.Uri;
        if (s.Table("Cpu") is DesiredSettings cpu)
        {
            CompareCpu(plan, cpu, CpuXml.Read(state.Config, name, uri, true));
        }
        if (Pin(s) is DesiredSettings pin)
        {
            ComparePins(plan, pin, CpuTuneXml.Read(state.Config));
        }
        if (s.Table("Numa") is DesiredSettings numa)
        {
            CompareNuma(plan, numa, NumaXml.Read(state.Config, name, uri, true));
        }
        if (s.Table("MemoryBacking") is DesiredSettings mem)
        {
            CompareMemory(plan, mem, MemoryXml.Read(state.Config, name, uri, true));
        }
    }

    /// <summary>The tuning steps of a new VM, in the order the pipeline in the README runs them.</summary>
    public static void CreateSteps(PlanBuilder plan)
    {
        DesiredSettings s = plan.Resource.Settings;
        if (s.Table("Cpu") is DesiredSettings cpu)
        {
            plan.Step("Set-KvmCpu", Args(plan, cpu));
        }
        if (Pin(s) is DesiredSettings pin)
        {
            plan.Step("Set-KvmCpuPin", Args(plan, pin));
        }
        if (s.Table("Numa") is DesiredSettings numa)
        {
            plan.Step("Set-KvmNuma", Args(plan, numa));
        }
        if (s.Table("MemoryBacking") is DesiredSettings mem)
        {
            plan.Step("Set-KvmMemory", Args(plan, mem));
        }
    }

    /// <summary>CpuPin = 'Auto' is short for CpuPin = @{ Auto = $true }.</summary>
    private static DesiredSettings? Pin(DesiredSettings s) => s.Raw("CpuPin") switch
    {
        null => null,
        string t when string.Equals(t, "Auto", StringComparison.OrdinalIgnoreCase) =>
            new DesiredSettings(new[] { new KeyValuePair<string, object?>("Auto", true) }) { Where = $"{s.Where}.CpuPin" },
        IDictionary => s.Table("CpuPin"),
        object v => throw new ConfigurationException("ConfigurationValueInvalid", $"{s.Where}.CpuPin must be 'Auto' or a table of Set-KvmCpuPin parameters, not '{v}'.", s.Where),
    };

    private static void CompareCpu(PlanBuilder plan, DesiredSettings want, KvmCpu have)
    {
        var diffs = new List<(string, string, string)>();
        Check(diffs, "Cpu.Mode", want.Text("Mode"), have.Mode?.ToString(), ignoreCase: true);
        Check(diffs, "Cpu.Model", want.Text("Model"), have.Model);
        Check(diffs, "Cpu.Sockets", want.Int("Sockets")?.ToString(CultureInfo.InvariantCulture), have.Sockets?.ToString(CultureInfo.InvariantCulture));
        Check(diffs, "Cpu.Cores", want.Int("Cores")?.ToString(CultureInfo.InvariantCulture), have.Cores?.ToString(CultureInfo.InvariantCulture));
        Check(diffs, "Cpu.Threads", want.Int("Threads")?.ToString(CultureInfo.InvariantCulture), have.Threads?.ToString(CultureInfo.InvariantCulture));
        Check(diffs, "Cpu.CachePassthrough", want.Bool("CachePassthrough")?.ToString(), (have.CacheMode == "passthrough").ToString());
        Check(diffs, "Cpu.Nested", want.Bool("Nested")?.ToString(), have.Nested.ToString());
        if (want.List("Feature") is string[] features)
        {
            var haveSet = have.Features.Select(f => $"{f.Policy}:{f.Name}").ToHashSet(StringComparer.OrdinalIgnoreCase);
            string[] missing = features.Select(CpuXml.ParseFeature).Where(f => !haveSet.Contains($"{f.Policy}:{f.Name}")).Select(f => f.Name).ToArray();
            if (missing.Length > 0)
            {
                diffs.Add(("Cpu.Feature", string.Join(",", have.Features.Select(f => f.ToString())), string.Join(",", features)));
            }
        }
        Emit(plan, diffs, "Set-KvmCpu", want, plan.Boot);
    }

    private static void ComparePins(PlanBuilder plan, DesiredSettings want, PinState have)
    {
        var diffs = new List<(string, string, string)>();
        string Pins() => string.Join(" ", have.VCpus.Select(p => $"{p.Key}:{CpuSet.Format(p.Value)}"));
        if (want.Switch("Auto") && Enumerable.Range(0, have.MaxVCpus).Any(v => !have.VCpus.ContainsKey(v)))
        {
            diffs.Add(("CpuPin", Pins(), "Auto"));
        }
        if (want.Raw("Map") is IDictionary map)
        {
            foreach (object key in map.Keys)
            {
                int vcpu = Convert.ToInt32(key, CultureInfo.InvariantCulture);
                string cpus = CpuSet.Format(CpuSet.Parse(Convert.ToString(map[key], CultureInfo.InvariantCulture) ?? ""));
                string current = have.VCpus.TryGetValue(vcpu, out int[]? set) ? CpuSet.Format(set) : "";
                if (cpus != current)
                {
                    diffs.Add(($"CpuPin[{vcpu}]", current, cpus));
                }
            }
        }
        if (want.Int("VCpu") is int one && want.Text("HostCpu") is string hostCpu)
        {
            string cpus = CpuSet.Format(CpuSet.Parse(hostCpu));
            string current = have.VCpus.TryGetValue(one, out int[]? set) ? CpuSet.Format(set) : "";
            if (cpus != current)
            {
                diffs.Add(($"CpuPin[{one}]", current, cpus));
            }
        }
        if (want.Text("EmulatorCpu") is string emu)
        {
            Check(diffs, "CpuPin.EmulatorCpu", CpuSet.Format(CpuSet.Parse(emu)), have.Emulator is null ? "" : CpuSet.Format(have.Emulator));
        }
        Emit(plan, diffs, "Set-KvmCpuPin", want, KvmChangeTiming.Now);
    }

    private static void CompareNuma(PlanBuilder plan, DesiredSettings want, KvmNuma have)
    {
        var diffs = new List<(string, string, string)>();
        if (want.Raw("Cell") is IEnumerable cells and not string)
        {
            var wantCells = cells.Cast<object?>().Select((c, i) => c is IDictionary d
                ? new DesiredSettings(d.Keys.Cast<object>().Select(k => new KeyValuePair<string, object?>(k.ToString() ?? "", d[k]))) { Where = $"{want.Where}.Cell[{i}]" }
                : throw new ConfigurationException("ConfigurationValueInvalid", $"{want.Where}.Cell[{i}] must be a table (@{{ Cpus = '0-1'; Memory = 1GB }}).", want.Where)).ToList();
            bool same = wantCells.Count == have.Cells.Length && wantCells.Select((c, i) =>
                CpuSet.Format(CpuSet.Parse(c.Text("Cpus") ?? "")) == CpuSet.Format(CpuSet.Parse(have.Cells[i].Cpus)) &&
                (c.Size("Memory") is not ulong m || m == have.Cells[i].MemoryBytes)).All(x => x);
            if (!same)
            {
                string wantText = string.Join("; ", wantCells.Select(c => $"{c.Text("Cpus")}={c.Size("Memory")?.ToString(CultureInfo.InvariantCulture) ?? "even share"}"));
                string haveText = string.Join("; ", have.Cells.Select(c => $"{c.Cpus}={c.MemoryBytes.ToString(CultureInfo.InvariantCulture)}"));
                diffs.Add(("Numa.Cell", haveText, wantText));
            }
        }
        Check(diffs, "Numa.MemoryMode", want.Text("MemoryMode"), have.MemoryMode?.ToString(), ignoreCase: true);
        if (want.Text("HostNode") is string node)
        {
            Check(diffs, "Numa.HostNode", CpuSet.Format(CpuSet.Parse(node)), have.HostNodes is null ? "" : CpuSet.Format(CpuSet.Parse(have.HostNodes)));
        }
        Emit(plan, diffs, "Set-KvmNuma", want, plan.Boot);
    }

    private static void CompareMemory(PlanBuilder plan, DesiredSettings want, KvmMemory have)
    {
        var diffs = new List<(string, string, string)>();
        Check(diffs, "MemoryBacking.Memory", want.Size("Memory")?.ToString(CultureInfo.InvariantCulture), have.MemoryBytes.ToString(CultureInfo.InvariantCulture));
        Check(diffs, "MemoryBacking.CurrentMemory", want.Size("CurrentMemory")?.ToString(CultureInfo.InvariantCulture), have.CurrentMemoryBytes.ToString(CultureInfo.InvariantCulture));
        if (want.Size("HugePageSize") is ulong page)
        {
            Check(diffs, "MemoryBacking.HugePageSize", page.ToString(CultureInfo.InvariantCulture), (have.HugePageSizeBytes ?? 0).ToString(CultureInfo.InvariantCulture));
        }
        Check(diffs, "MemoryBacking.Locked", want.Bool("Locked")?.ToString(), have.Locked.ToString());
        Check(diffs, "MemoryBacking.NoBalloon", want.Bool("NoBalloon")?.ToString(), (have.BalloonModel == "none").ToString());
        Check(diffs, "MemoryBacking.Memfd", want.Bool("Memfd")?.ToString(), (have.Source == "memfd").ToString());
        Emit(plan, diffs, "Set-KvmMemory", want, plan.Boot);
    }

    private static void Check(List<(string, string, string)> diffs, string property, string? want, string? have, bool ignoreCase = false)
    {
        if (want is not null && !string.Equals(want, have ?? "", ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
        {
            diffs.Add((property, have ?? "", want));
        }
    }

    private static void Emit(PlanBuilder plan, List<(string Property, string Current, string Desired)> diffs, string command, DesiredSettings want, KvmChangeTiming timing)
    {
        foreach (var (p, c, d) in diffs)
        {
            plan.Change(p, c, d, timing, command);
        }
        if (diffs.Count > 0)
        {
            plan.Step(command, Args(plan, want), timing);
        }
    }

    private static Dictionary<string, object?> Args(PlanBuilder plan, DesiredSettings table)
    {
        var args = VmComparer.VmArgs(plan);
        foreach (var (k, v) in table.Values)
        {
            args[k] = v;
        }
        return args;
    }
}

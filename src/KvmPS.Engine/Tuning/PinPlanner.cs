namespace KvmPS.Engine.Tuning;

/// <summary>
/// Places vCPUs on host CPUs from the host topology (pure: no libvirt call).
/// Rules, in order: never an excluded CPU; never a CPU another VM's pins hold (vCPU, emulator,
/// IOThread, cpuset) unless overlap is allowed; a group of vCPUs (the VM, or each guest NUMA cell) that fits in one host cell stays in
/// one cell; Spread puts each vCPU on its own physical core and uses SMT siblings only when the
/// cell has too few free cores, Compact fills every thread of a core before the next; the emulator
/// gets a free host CPU that no vCPU uses, on a core without vCPUs where possible, near the vCPUs.
/// </summary>
public static class PinPlanner
{
    public static PinPlan Plan(HostTopology host, PinRequest req)
    {
        if (req.VCpuCount < 1)
        {
            throw TuningException.Invalid("NoVCpus", "The VM has no vCPU to place.");
        }
        var groups = req.GuestCells is { Count: > 0 } cells ? cells : new[] { Enumerable.Range(0, req.VCpuCount).ToArray() };
        bool Usable(HostCpuInfo c) => !req.Excluded.Contains(c.Id) && (req.AllowOverlap || !req.Taken.Contains(c.Id));
        var usable = host.Cpus.Where(Usable).ToList();
        if (usable.Count < req.VCpuCount)
        {
            string why = req.AllowOverlap ? "" : TakenText(host, req);
            throw new TuningException("NotEnoughHostCpus",
                $"The VM needs {req.VCpuCount} host CPUs but only {usable.Count} of {host.Cpus.Count} are free{why}.",
                TuningErrorKind.ResourceUnavailable);
        }

        var mine = new HashSet<int>();          // host CPUs given to this VM's vCPUs so far
        var result = new int[req.VCpuCount];
        var usedCells = new List<int>();
        var warnings = new List<string>();
        foreach (int[] group in groups)
        {
            List<HostCpuInfo> Free(int cell) => usable.Where(c => c.Cell == cell && !mine.Contains(c.Id)).ToList();
            int need = group.Length;
            List<int> candidates = host.CellIds.Where(cell => Free(cell).Count >= need).ToList();
            var picked = new List<HostCpuInfo>();
            if (candidates.Count > 0)
            {
                // Cells not used by an earlier guest cell come first, so guest cells land apart.
                var fresh = candidates.Where(c => !usedCells.Contains(c)).ToList();
                if (fresh.Count > 0)
                {
                    candidates = fresh;
                }
                int cell = ChooseCell(candidates, Free, need, req.Strategy);
                picked = Pick(Free(cell), need, req.Strategy, mine, out bool shared);
                if (shared)
                {
                    warnings.Add($"Host cell {cell} has fewer than {need} free cores: some vCPUs share a core with another vCPU (SMT siblings).");
                }
            }
            else
            {
                // No single cell has room: fill the roomiest cells in turn.
                var order = host.CellIds.OrderByDescending(c => Free(c).Count).ThenBy(c => c).ToList();
                foreach (int cell in order)
                {
                    if (picked.Count == need)
                    {
                        break;
                    }
                    picked.AddRange(Pick(Free(cell), Math.Min(need - picked.Count, Free(cell).Count), req.Strategy, mine, out _));
                    foreach (var c in picked)
                    {
                        mine.Add(c.Id);
                    }
                }
                warnings.Add($"No host cell has {need} free CPUs: the vCPUs span cells {string.Join(",", picked.Select(c => c.Cell).Distinct())}.");
            }
            for (int i = 0; i < group.Length; i++)
            {
                result[group[i]] = picked[i].Id;
                mine.Add(picked[i].Id);
                if (!usedCells.Contains(picked[i].Cell))
                {
                    usedCells.Add(picked[i].Cell);
                }
            }
        }

        int[] emulator = PlaceEmulator(host, req, mine, usedCells, out string? emulatorNote);
        var notes = new List<string>();
        if (emulatorNote is not null)
        {
            notes.Add(emulatorNote);
        }
        return new PinPlan { VCpuHostCpu = result, EmulatorCpus = emulator, HostCells = usedCells.ToArray(), Warnings = warnings, Notes = notes };
    }

    /// <summary>Why CPUs are not free: how many other VMs hold, and (when known) which VMs through what.</summary>
    private static string TakenText(HostTopology host, PinRequest req)
    {
        var held = host.Cpus.Where(c => req.Taken.Contains(c.Id) && !req.Excluded.Contains(c.Id)).Select(c => c.Id).ToList();
        string who = req.Holders is { } h && held.Count > 0 ? $": {h.Describe(held)}" : "";
        return $" ({held.Count} held by other VMs' pins{who}; -AllowOverlap shares them)";
    }

    private static int ChooseCell(List<int> candidates, Func<int, List<HostCpuInfo>> free, int need, KvmPinStrategy strategy)
    {
        if (strategy == KvmPinStrategy.Spread)
        {
            // Cells where every vCPU gets its own core first; then the one with the most free cores.
            return candidates
                .OrderByDescending(c => FreeCores(free(c)) >= need)
                .ThenByDescending(c => FreeCores(free(c)))
                .ThenByDescending(c => free(c).Count)
                .ThenBy(c => c)
                .First();
        }
        // Compact packs: the cell that fits with the least room to spare.
        return candidates.OrderBy(c => free(c).Count).ThenBy(c => c).First();
    }

    private static int FreeCores(List<HostCpuInfo> free) => free.Select(c => c.CoreKey).Distinct().Count();

    /// <summary>Picks <paramref name="need"/> CPUs out of one cell's free CPUs.</summary>
    private static List<HostCpuInfo> Pick(List<HostCpuInfo> free, int need, KvmPinStrategy strategy, HashSet<int> mine, out bool sharedCore)
    {
        // Cores whose every thread is free (no other VM, no vCPU of ours on a sibling) come first.
        var cores = free.GroupBy(c => c.CoreKey)
            .Select(g => g.OrderBy(c => c.Id).ToList())
            .OrderByDescending(threads => threads.Count == threads[0].Siblings.Length && !threads[0].Siblings.Any(mine.Contains))
            .ThenBy(threads => threads[0].Socket).ThenBy(threads => threads[0].Die).ThenBy(threads => threads[0].Core)
            .ThenBy(threads => threads[0].Id)
            .ToList();
        var picked = new List<HostCpuInfo>(need);
        if (strategy == KvmPinStrategy.Compact)
        {
            foreach (var threads in cores)
            {
                picked.AddRange(threads.Take(need - picked.Count));
                if (picked.Count == need)
                {
                    break;
                }
            }
            sharedCore = false;
            return picked;
        }
        // Spread: one thread per core per round; a second round only when cores run out.
        for (int round = 0; picked.Count < need; round++)
        {
            foreach (var threads in cores)
            {
                if (round < threads.Count && picked.Count < need)
                {
                    picked.Add(threads[round]);
                }
            }
        }
        sharedCore = cores.Count < need;
        return picked;
    }

    private static int[] PlaceEmulator(HostTopology host, PinRequest req, HashSet<int> mine, List<int> usedCells, out string? note)
    {
        note = null;
        var coresOfMine = host.Cpus.Where(c => mine.Contains(c.Id)).Select(c => c.CoreKey).ToHashSet();
        var free = host.Cpus.Where(c => !mine.Contains(c.Id) && !req.Excluded.Contains(c.Id) && !req.Taken.Contains(c.Id)).ToList();
        int CellRank(HostCpuInfo c)
        {
            int i = usedCells.IndexOf(c.Cell);
            return i < 0 ? int.MaxValue : i;
        }
        HostCpuInfo? best = free
            .OrderBy(CellRank)
            .ThenBy(c => coresOfMine.Contains(c.CoreKey) ? 1 : 0)
            .ThenBy(c => c.Id)
            .FirstOrDefault();
        if (best is not null)
        {
            return new[] { best.Id };
        }
        note = "No host CPU is left free for the emulator threads: they share the vCPUs' CPUs.";
        return mine.OrderBy(x => x).ToArray();
    }
}

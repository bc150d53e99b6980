namespace KvmPS.Engine.Tuning;

/// <summary>
/// A validated pin change for one VM, ready for PinApplier.Apply: the change and the
/// facts read while planning it (whether the VM runs and has a persistent definition, the host).
/// </summary>
public sealed class PinApplication
{
    public required string VMName { get; init; }

    public required PinChange Change { get; init; }

    public required HostTopology Host { get; init; }

    /// <summary>The VM has a persistent definition: the change goes to it.</summary>
    public bool Persistent { get; init; }

    /// <summary>The VM runs: its threads are pinned live too.</summary>
    public bool Active { get; init; }

    /// <summary>The change in words, for ShouldProcess: "Pin vCPU 0 -> 2; emulator -> 3".</summary>
    public string Description
    {
        get
        {
            var parts = new List<string>();
            if (Change.ClearAll)
            {
                parts.Add("remove all pins");
            }
            parts.AddRange(Change.VCpus.OrderBy(p => p.Key).Select(p => $"vCPU {p.Key} -> {CpuSet.Format(p.Value)}"));
            if (Change.Emulator is not null)
            {
                parts.Add($"emulator -> {CpuSet.Format(Change.Emulator)}");
            }
            parts.AddRange(Change.IOThreads.OrderBy(p => p.Key).Select(p => $"IOThread {p.Key} -> {CpuSet.Format(p.Value)}"));
            return "Pin " + string.Join("; ", parts);
        }
    }
}

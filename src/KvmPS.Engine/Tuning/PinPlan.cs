namespace KvmPS.Engine.Tuning;

/// <summary>The planner's answer: one host CPU per vCPU, the emulator's CPUs, and why.</summary>
public sealed class PinPlan
{
    /// <summary>Host CPU of each vCPU (index = vCPU).</summary>
    public int[] VCpuHostCpu { get; init; } = Array.Empty<int>();

    /// <summary>Host CPUs for the emulator threads.</summary>
    public int[] EmulatorCpus { get; init; } = Array.Empty<int>();

    /// <summary>Host cells the vCPUs landed in, in the order they were used.</summary>
    public int[] HostCells { get; init; } = Array.Empty<int>();

    /// <summary>Compromises that cost the VM performance (SMT siblings shared, cells spanned).</summary>
    public List<string> Warnings { get; init; } = new();

    /// <summary>Facts worth a verbose line (the emulator shares the vCPUs' CPUs on a small host).</summary>
    public List<string> Notes { get; init; } = new();
}

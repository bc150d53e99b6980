using System.Globalization;
using System.Xml.Linq;

namespace KvmPS.Engine.Tuning;

/// <summary>A change to the pins: what to clear first, then what to set.</summary>
public sealed class PinChange
{
    /// <summary>Remove every vcpupin, emulatorpin and iothreadpin first.</summary>
    public bool ClearAll { get; init; }
    /// <summary>Remove every vcpupin first (a new plan replaces the old one).</summary>
    public bool ReplaceVCpus { get; init; }
    public Dictionary<int, int[]> VCpus { get; init; } = new();
    public int[]? Emulator { get; init; }
    public Dictionary<int, int[]> IOThreads { get; init; } = new();

    public bool IsEmpty => !ClearAll && VCpus.Count == 0 && Emulator is null && IOThreads.Count == 0;
}

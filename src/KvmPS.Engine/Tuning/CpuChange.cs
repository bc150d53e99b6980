using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace KvmPS.Engine.Tuning;

/// <summary>A change to a VM's guest CPU; null members stay as they are.</summary>
public sealed class CpuChange
{
    public KvmCpuMode? Mode { get; init; }
    public string? Model { get; init; }
    public int? Sockets { get; init; }
    public int? Cores { get; init; }
    public int? Threads { get; init; }
    public bool? CachePassthrough { get; init; }
    /// <summary>Features as '+name' (require), '-name' (disable), 'name' (require) or 'policy:name'.</summary>
    public IReadOnlyList<string> Features { get; init; } = Array.Empty<string>();
    public bool? Nested { get; init; }
}

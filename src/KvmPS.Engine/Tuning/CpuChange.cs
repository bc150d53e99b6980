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
    /// <summary>A baseline CPU element (Get-KvmHostCpuBaseline's Xml, virsh cpu-baseline): mode custom with its model and features.</summary>
    public string? BaselineXml { get; init; }

    /// <summary>What the change does, for ShouldProcess.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (BaselineXml is not null)
        {
            parts.Add($"CPU baseline {CpuBaselineXml.ModelOf(BaselineXml)} (mode custom)");
        }
        if (Mode is KvmCpuMode m)
        {
            parts.Add($"CPU mode {CpuXml.ModeName(m)}");
        }
        if (Model is not null)
        {
            parts.Add($"model {Model}");
        }
        if (Sockets is not null || Cores is not null || Threads is not null)
        {
            parts.Add($"topology {Sockets?.ToString() ?? "-"} sockets x {Cores?.ToString() ?? "-"} cores x {Threads?.ToString() ?? "-"} threads");
        }
        if (CachePassthrough is bool cache)
        {
            parts.Add(cache ? "cache passthrough" : "no cache passthrough");
        }
        if (Features.Count > 0)
        {
            parts.Add("features " + string.Join(",", Features));
        }
        if (Nested is bool n)
        {
            parts.Add(n ? "nested virtualization" : "no nested virtualization");
        }
        return "Set " + string.Join(", ", parts);
    }
}

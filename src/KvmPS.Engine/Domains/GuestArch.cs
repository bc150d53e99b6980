using System.Xml.Linq;

namespace KvmPS.Engine.Domains;

/// <summary>What a host can run for one guest architecture (from the capabilities XML).</summary>
public sealed class GuestArch
{
    public string OsType { get; init; } = "hvm";
    public string Arch { get; init; } = "";
    public string? Emulator { get; init; }
    /// <summary>Machine names and aliases (q35, pc, pc-q35-7.2, ...).</summary>
    public HashSet<string> Machines { get; init; } = new(StringComparer.Ordinal);
    public string[] DomainTypes { get; init; } = Array.Empty<string>();
}

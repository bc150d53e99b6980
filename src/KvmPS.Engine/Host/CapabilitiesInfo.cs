using System.Globalization;
using System.Xml.Linq;

namespace KvmPS.Engine.Host;

/// <summary>What the capabilities XML says about a host, before live figures are added.</summary>
public sealed class CapabilitiesInfo
{
    public string Architecture { get; init; } = "";
    public string? CpuModel { get; init; }
    public string? CpuVendor { get; init; }
    public int? Sockets { get; init; }
    public int? Cores { get; init; }
    public int? Threads { get; init; }
    public bool? Iommu { get; init; }
    public ulong[] PageSizesKiB { get; init; } = Array.Empty<ulong>();
    public string[] DomainTypes { get; init; } = Array.Empty<string>();
    public List<CellInfo> Cells { get; init; } = new();

    public sealed class CellInfo
    {
        public int Id { get; init; }
        public ulong MemoryKiB { get; init; }
        public List<KvmHostCpu> Cpus { get; init; } = new();
        public List<(ulong SizeKiB, ulong Count)> Pages { get; init; } = new();
    }
}

using KvmPS.Engine.Host;

namespace KvmPS.Engine.Tuning;

/// <summary>The host's CPUs, NUMA cells and page sizes: the input of the pinning planner and of the checks.</summary>
public sealed class HostTopology
{
    public HostTopology(IEnumerable<HostCpuInfo> cpus, string? vendor = null, string arch = "", IEnumerable<ulong>? pageSizesKiB = null, bool inferred = false)
    {
        Cpus = cpus.OrderBy(c => c.Id).ToList();
        Vendor = vendor;
        Arch = arch;
        PageSizesKiB = (pageSizesKiB ?? Array.Empty<ulong>()).ToArray();
        Inferred = inferred;
        CpuIds = Cpus.Select(c => c.Id).ToHashSet();
        CellIds = Cpus.Select(c => c.Cell).Distinct().OrderBy(c => c).ToList();
    }

    public IReadOnlyList<HostCpuInfo> Cpus { get; }

    public IReadOnlySet<int> CpuIds { get; }

    public IReadOnlyList<int> CellIds { get; }

    /// <summary>CPU vendor from the capabilities (Intel, AMD), when reported.</summary>
    public string? Vendor { get; }

    public string Arch { get; }

    /// <summary>Page sizes the host CPU supports, in KiB (the base page included).</summary>
    public ulong[] PageSizesKiB { get; }

    /// <summary>
    /// True when libvirt reported no NUMA topology and the layout was derived from the node info
    /// (cells, sockets, cores, threads) with Linux's usual numbering.
    /// </summary>
    public bool Inferred { get; }

    /// <summary>Bytes a cpumap for this host needs (one bit per CPU up to the highest id).</summary>
    public int MapLength => ((Cpus.Count == 0 ? 0 : Cpus.Max(c => c.Id)) + 1 + 7) / 8;

    public string AllCpus => CpuSet.Format(CpuIds);

    public static HostTopology FromCapabilities(CapabilitiesInfo caps, NodeLayout? fallback = null)
    {
        var cpus = caps.Cells.SelectMany(cell => cell.Cpus.Select(c => new HostCpuInfo(
            c.Id, cell.Id, c.SocketId, c.DieId, c.CoreId, ParseSiblings(c.Siblings, c.Id)))).ToList();
        if (cpus.Count == 0 && fallback is { } node)
        {
            return FromNodeLayout(node, caps.CpuVendor, caps.Architecture, caps.PageSizesKiB);
        }
        return new HostTopology(cpus, caps.CpuVendor, caps.Architecture, caps.PageSizesKiB);
    }

    /// <summary>
    /// Derives a layout from node info alone. Linux numbers the first thread of every core of every
    /// socket first, then the second threads, and so on; sockets follow one another across cells.
    /// </summary>
    public static HostTopology FromNodeLayout(NodeLayout node, string? vendor = null, string arch = "", IEnumerable<ulong>? pageSizesKiB = null)
    {
        int nodes = Math.Max(node.Nodes, 1), sockets = Math.Max(node.SocketsPerNode, 1);
        int cores = Math.Max(node.Cores, 1), threads = Math.Max(node.Threads, 1);
        int perThread = nodes * sockets * cores;
        var cpus = new List<HostCpuInfo>();
        for (int n = 0; n < nodes; n++)
        {
            for (int s = 0; s < sockets; s++)
            {
                int socket = n * sockets + s;
                for (int c = 0; c < cores; c++)
                {
                    int first = socket * cores + c;
                    int[] siblings = Enumerable.Range(0, threads).Select(t => t * perThread + first).ToArray();
                    cpus.AddRange(siblings.Select(id => new HostCpuInfo(id, n, socket, 0, c, siblings)));
                }
            }
        }
        return new HostTopology(cpus, vendor, arch, pageSizesKiB, inferred: true);
    }

    /// <summary>Reads the host through an open connection: capabilities, with node info when they have no NUMA topology.</summary>
    public static HostTopology Read(LibvirtConnection conn)
    {
        CapabilitiesInfo caps = HostInfoReader.ParseCapabilities(conn.GetCapabilitiesXml());
        if (caps.Cells.Any(c => c.Cpus.Count > 0))
        {
            return FromCapabilities(caps);
        }
        var info = conn.GetNodeInfo();
        var layout = new NodeLayout((int)info.Nodes, (int)info.Sockets, (int)info.Cores, (int)info.Threads);
        return FromCapabilities(caps, layout);
    }

    /// <summary>
    /// Parses a cpuset of host CPUs and checks that each exists on this host. Throws
    /// TuningException (InvalidCpuSet, HostCpuNotFound).
    /// </summary>
    public int[] ParseHostCpus(string text, string what)
    {
        int[] cpus;
        try
        {
            cpus = CpuSet.Parse(text);
        }
        catch (FormatException e)
        {
            throw TuningException.Invalid("InvalidCpuSet", $"{what}: {e.Message}");
        }
        var missing = cpus.Where(c => !CpuIds.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            throw TuningException.Invalid("HostCpuNotFound",
                $"{what}: host CPU(s) {CpuSet.Format(missing)} do not exist; the host has CPUs {AllCpus}.");
        }
        return cpus;
    }

    private static int[] ParseSiblings(string siblings, int self)
    {
        try
        {
            int[] set = CpuSet.Parse(siblings);
            return set.Contains(self) ? set : set.Append(self).OrderBy(x => x).ToArray();
        }
        catch (FormatException)
        {
            return new[] { self };
        }
    }
}

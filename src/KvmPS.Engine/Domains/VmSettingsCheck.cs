using System.Xml.Linq;
using KvmPS.Engine.Host;
using KvmPS.Engine.Tuning;

namespace KvmPS.Engine.Domains;

/// <summary>
/// The checks Set-KvmVM makes before it changes anything, the same ones the specialised cmdlets
/// make: a vCPU count must equal the CPU topology's sockets × dies × cores × threads and be what
/// the guest NUMA cells cover; a memory size must equal what the NUMA cells hold and be a whole
/// number of the VM's huge pages. Pure: it reads the definition it is given.
/// </summary>
public static class VmSettingsCheck
{
    /// <summary>The first refusal (ErrorId, message) for the change on <paramref name="domain"/>, or null.</summary>
    public static (string ErrorId, string Message)? Check(string vm, XElement domain, int? vcpus, ulong? memoryBytes)
    {
        XElement? cpu = domain.Element("cpu");
        if (vcpus is int requested)
        {
            // The topology and the cells describe the maximum: a definition with hot-plug room keeps it (VCpuCountPlan).
            var (oldMax, oldCur) = VCpuCountPlan.Read(domain);
            int n = oldCur < oldMax ? Math.Max(oldMax, requested) : requested;
            if (cpu?.Element("topology") is XElement topo)
            {
                int sockets = Attr(topo, "sockets"), dies = Attr(topo, "dies"), cores = Attr(topo, "cores"), threads = Attr(topo, "threads");
                int product = sockets * dies * cores * threads;
                if (product != n)
                {
                    string d = dies == 1 ? "" : $" x {dies} dies";
                    return ("TopologyMismatch",
                        $"VM '{vm}' cannot have {(n == requested ? $"{n}" : $"{requested} of at most {n}")} vCPUs: its CPU topology is {sockets} sockets{d} x {cores} cores x {threads} threads = {product} vCPUs, and the count must match it. "
                        + "Set-KvmCpu changes the topology only for the current count, so change both together in the definition (Export-KvmVM, edit <vcpu> and <topology>, Import-KvmVM -Force). Nothing was changed.");
                }
            }
            var cells = Cells(cpu).ToList();
            if (cells.Count > 0)
            {
                var covered = new HashSet<int>();
                foreach (XElement c in cells)
                {
                    covered.UnionWith(CpuSet.Parse((string?)c.Attribute("cpus") ?? ""));
                }
                if (!covered.SetEquals(Enumerable.Range(0, n)))
                {
                    return ("NumaCellsDoNotMatchVCpus",
                        $"VM '{vm}' cannot have {n} vCPUs: its guest NUMA cells hold vCPUs {CpuSet.Format(covered.Order().ToList())}, and they must hold 0-{n - 1} exactly. "
                        + "Remove the cells with Set-KvmNuma -Clear, change the count, then give the cells again with Set-KvmNuma -Cell. Nothing was changed.");
                }
            }
        }
        XElement? memory = domain.Element("memory");
        bool sameMemory = memory is not null && memoryBytes is ulong asked
            && HostInfoReader.ToKiB(memory.Value, (string?)memory.Attribute("unit")) * 1024 == asked;
        // What the definition already has changes nothing, whatever libvirt accepted it with.
        if (memoryBytes is ulong bytes && !sameMemory)
        {
            ulong kib = bytes / 1024;
            var cellKiB = Cells(cpu).Select(c => HostInfoReader.ToKiB((string?)c.Attribute("memory"), (string?)c.Attribute("unit"))).ToList();
            // <memory> counts memory devices (DIMMs, virtio-mem) on top of the cells, as libvirt does.
            ulong sum = cellKiB.Aggregate(0UL, (a, b) => a + b) + MemoryXml.MemoryDevicesKiB(domain);
            if (cellKiB.Count > 0 && sum != kib)
            {
                return ("MemoryDoesNotMatchNumaCells",
                    $"VM '{vm}' cannot have {SizeText.Format(bytes)}: its guest NUMA cells (and memory devices) hold {SizeText.Format(sum * 1024)}, and the memory is their sum. Change it with Set-KvmNuma -Cell ... -SetMemory. Nothing was changed.");
            }
            if (NumaXml.HugePageKiB(domain) is ulong page && page > 0 && (bytes % 1024 != 0 || kib % page != 0))
            {
                return ("MemoryNotPageAligned",
                    $"VM '{vm}' cannot have {SizeText.Format(bytes)} of memory: it is backed by {SizeText.Format(page * 1024)} huge pages, and the memory must be a whole number of them. Nothing was changed.");
            }
        }
        return null;
    }

    private static IEnumerable<XElement> Cells(XElement? cpu) =>
        cpu?.Element("numa")?.Elements("cell") ?? Enumerable.Empty<XElement>();

    private static int Attr(XElement e, string name) =>
        int.TryParse((string?)e.Attribute(name), out int v) && v > 0 ? v : 1;
}

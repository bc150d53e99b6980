using System.Globalization;
using System.Xml.Linq;

namespace KvmPS.Engine.Domains;

/// <summary>
/// What Set-KvmVM -VCpuCount does to a persistent definition. The count is the number of vCPUs
/// the VM starts with (libvirt's current count). A definition without hot-plug room
/// (<c>&lt;vcpu&gt;N&lt;/vcpu&gt;</c>) gets exactly the new count, maximum and current alike; one with room
/// (<c>&lt;vcpu current='2'&gt;4&lt;/vcpu&gt;</c>) keeps its maximum and only its current count changes,
/// unless the new count is above the maximum, which then rises to it. Everything is checked
/// before anything changes.
/// </summary>
public static class VCpuCountPlan
{
    /// <summary>The (maximum, current) the definition gets, or a VmRequestException when it cannot.</summary>
    public static (int Maximum, int Current) Plan(XElement config, int count, string vm)
    {
        var (oldMax, oldCur) = Read(config);
        int max = oldCur < oldMax ? Math.Max(oldMax, count) : count;
        XElement? topo = config.Element("cpu")?.Element("topology");
        if (topo is not null)
        {
            int s = Attr(topo, "sockets"), d = Attr(topo, "dies"), c = Attr(topo, "cores"), t = Attr(topo, "threads");
            int product = s * d * c * t;
            if (product != max)
            {
                string dies = d == 1 ? "" : $" x {d} dies";
                throw VmRequestException.Invalid(vm, "TopologyMismatch",
                    $"VM '{vm}' has a CPU topology of {s} sockets{dies} x {c} cores x {t} threads = {product} vCPUs, so it cannot have {max} " +
                    "(the topology must multiply up to the maximum vCPU count). Change the topology with Set-KvmCpu -Sockets/-Cores/-Threads first. Nothing was changed.");
            }
        }
        int highest = (config.Element("cpu")?.Element("numa")?.Elements("cell") ?? Enumerable.Empty<XElement>())
            .Select(cell => (string?)cell.Attribute("cpus"))
            .OfType<string>()
            .SelectMany(set => TryParse(set))
            .DefaultIfEmpty(-1).Max();
        if (highest >= max)
        {
            throw VmRequestException.Invalid(vm, "NumaCellsDoNotMatchVCpus",
                $"VM '{vm}''s guest NUMA cells hold vCPUs up to {highest}, so it cannot have {max} vCPUs at most. Change the cells with Set-KvmNuma first. Nothing was changed.");
        }
        return (max, count);
    }

    /// <summary>The definition's (maximum, current) vCPU counts.</summary>
    public static (int Maximum, int Current) Read(XElement config)
    {
        XElement? vcpu = config.Element("vcpu");
        int max = int.TryParse(vcpu?.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int m) ? m : 1;
        int cur = int.TryParse((string?)vcpu?.Attribute("current"), NumberStyles.None, CultureInfo.InvariantCulture, out int c) ? c : max;
        return (max, cur);
    }

    /// <summary>
    /// The calls that take the definition from <paramref name="from"/> to <paramref name="to"/>, in
    /// an order libvirt accepts (the current count never above the maximum); each as (count,
    /// maximum?). Applied one by one, and undone in reverse when a later one fails.
    /// </summary>
    public static IReadOnlyList<(int Count, bool Maximum)> Steps((int Maximum, int Current) from, (int Maximum, int Current) to)
    {
        var steps = new List<(int, bool)>();
        if (to.Maximum > from.Maximum)
        {
            steps.Add((to.Maximum, true));
        }
        if (to.Current != from.Current || to.Maximum != from.Maximum)
        {
            steps.Add((to.Current, false));
        }
        if (to.Maximum < from.Maximum)
        {
            steps.Add((to.Maximum, true));
        }
        return steps;
    }

    private static int Attr(XElement e, string name) =>
        int.TryParse((string?)e.Attribute(name), NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0 ? v : 1;

    private static int[] TryParse(string set)
    {
        try
        {
            return CpuSet.Parse(set);
        }
        catch (FormatException)
        {
            return Array.Empty<int>();
        }
    }
}

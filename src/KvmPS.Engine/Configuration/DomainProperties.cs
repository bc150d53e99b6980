using System.Globalization;
using System.Xml.Linq;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Tuning;

namespace KvmPS.Engine.Configuration;

/// <summary>
/// A domain definition as a flat list of the properties an administrator means (Memory,
/// Cpu.Sockets, Disk[vda].Path, NetworkAdapter[52:54:00:..].Source, ...), read through the same
/// readers as the Get-* cmdlets, so that two definitions compare property by property and
/// runtime noise (aliases, assigned ports, PCI addresses) does not count.
/// </summary>
public static class DomainProperties
{
    public static SortedDictionary<string, string> Read(XElement domain, string uri)
    {
        string xml = domain.ToString(SaveOptions.DisableFormatting);
        KvmVM vm = DomainXml.Read(xml, KvmVMState.NoState, 0, false, true, uri);
        var p = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Put(string key, object? value)
        {
            string text = VmComparer.Text(value);
            if (text.Length > 0)
            {
                p[key] = text;
            }
        }
        Put("Memory", vm.MemoryBytes);
        Put("CurrentMemory", vm.CurrentMemoryBytes);
        Put("VCpuCount", vm.VCpuCount);
        Put("MaxVCpuCount", vm.MaxVCpuCount);
        Put("Description", vm.Description);
        Put("OSVariant", vm.OSVariant);
        Put("MachineType", vm.MachineType);
        Put("Firmware", vm.Firmware);
        Put("DomainType", vm.DomainType);

        KvmCpu cpu = CpuXml.Read(domain, vm.Name, uri, true);
        Put("Cpu.Mode", cpu.Mode);
        Put("Cpu.Model", cpu.Model);
        Put("Cpu.Sockets", cpu.Sockets);
        Put("Cpu.Cores", cpu.Cores);
        Put("Cpu.Threads", cpu.Threads);
        Put("Cpu.CacheMode", cpu.CacheMode);
        Put("Cpu.Feature", string.Join(",", cpu.Features.Select(f => f.ToString()).OrderBy(f => f, StringComparer.Ordinal)));

        PinState pins = CpuTuneXml.Read(domain);
        foreach (var (vcpu, cpus) in pins.VCpus)
        {
            Put($"CpuPin[{vcpu}]", CpuSet.Format(cpus));
        }
        Put("CpuPin.Emulator", pins.Emulator is null ? null : CpuSet.Format(pins.Emulator));
        foreach (var (id, cpus) in pins.IOThreads)
        {
            Put($"CpuPin.IOThread[{id}]", CpuSet.Format(cpus));
        }

        KvmNuma numa = NumaXml.Read(domain, vm.Name, uri, true);
        foreach (KvmGuestNumaCell c in numa.Cells)
        {
            Put($"Numa.Cell[{c.Id}]", $"{c.Cpus} {c.MemoryBytes.ToString(CultureInfo.InvariantCulture)}");
        }
        Put("Numa.MemoryMode", numa.MemoryMode);
        Put("Numa.HostNode", numa.HostNodes);

        KvmMemory mem = MemoryXml.Read(domain, vm.Name, uri, true);
        Put("MemoryBacking.HugePageSize", mem.HugePageSizeBytes);
        Put("MemoryBacking.Locked", mem.Locked ? "True" : null);
        Put("MemoryBacking.Source", mem.Source);
        Put("MemoryBacking.Balloon", mem.BalloonModel);

        foreach (KvmDisk d in vm.Disks)
        {
            string k = $"Disk[{d.Target}]";
            Put($"{k}.Device", d.Device);
            Put($"{k}.Bus", d.Bus);
            Put($"{k}.Path", d.Path);
            Put($"{k}.Format", d.Format);
            Put($"{k}.Cache", d.Cache);
            Put($"{k}.IO", d.IO);
            Put($"{k}.Discard", d.Discard);
            Put($"{k}.ReadOnly", d.ReadOnly ? "True" : null);
        }
        foreach (var (a, i) in vm.NetworkAdapters.Select((a, i) => (a, i)))
        {
            string k = $"NetworkAdapter[{MacAddressText.Normalize(a.MacAddress) ?? i.ToString(CultureInfo.InvariantCulture)}]";
            Put($"{k}.Type", a.Type);
            Put($"{k}.Source", a.Source);
            Put($"{k}.Model", a.Model);
            Put($"{k}.Queues", a.Queues);
            Put($"{k}.LinkState", a.LinkState);
        }
        foreach (var (g, i) in vm.Graphics.Select((g, i) => (g, i)))
        {
            Put($"Graphics[{i}]", $"{g.Type} {g.Listen}".Trim());
        }
        Put("HostDevices", string.Join(",", vm.HostDevices.OrderBy(h => h, StringComparer.Ordinal)));
        return p;
    }

    /// <summary>Every property whose value differs or that one side lacks, in property order.</summary>
    public static List<KvmVMDifference> Diff(string vmName, IReadOnlyDictionary<string, string> reference, IReadOnlyDictionary<string, string> difference,
        string comparison, string differenceName)
    {
        return reference.Keys.Union(difference.Keys).OrderBy(k => k, StringComparer.Ordinal)
            .Select(k => (k, r: reference.TryGetValue(k, out string? a) ? a : "", d: difference.TryGetValue(k, out string? b) ? b : ""))
            .Where(x => x.r != x.d)
            .Select(x => new KvmVMDifference { VMName = vmName, Property = x.k, ReferenceValue = x.r, DifferenceValue = x.d, Comparison = comparison, DifferenceName = differenceName })
            .ToList();
    }
}

using System.Xml.Linq;
using KvmPS.Engine.Configuration;
using KvmPS.Engine.Domains;

namespace KvmPS.Engine.Tests.Configuration;

/// <summary>Key catalogs and host states built by hand for the configuration tests.</summary>
internal static class ConfigurationTestData
{
    public const string TestUri = "test:///default";

    private static IEnumerable<(string, IEnumerable<string>)> P(params string[] names) =>
        names.Select(n => n.Split('|')).Select(p => (p[0], (IEnumerable<string>)p.Skip(1).ToArray()));

    public static KeyCatalog Catalog() => new KeyCatalog()
        .Add(KvmResourceKind.Network, P("Mode", "Subnet", "DhcpStart", "DhcpEnd", "NoDhcp", "BridgeName", "HostBridge", "DnsDomain", "Autostart", "Start"))
        .Add(KvmResourceKind.StoragePool, P("Type", "Path", "SourceHost", "SourcePath", "SourceName", "Autostart", "Start"))
        .Add(KvmResourceKind.Volume, P("Pool", "Size", "Format", "BackingPath", "BackingFormat"))
        .Add(KvmResourceKind.VM, P("Memory|MemoryStartupBytes", "VCpuCount|ProcessorCount", "DiskSize", "Pool", "Network|SwitchName", "Bridge", "MacAddress",
            "OSVariant", "Firmware", "MachineType", "Autostart", "Description", "Start", "Cdrom", "Kernel"))
        .AddTuning("Cpu", P("Mode", "Model", "Sockets", "Cores", "Threads", "CachePassthrough", "Feature", "Nested"))
        .AddTuning("CpuPin", P("Auto", "Map", "VCpu", "HostCpu", "EmulatorCpu", "Strategy"))
        .AddTuning("Numa", P("Cell", "MemoryMode", "HostNode"))
        .AddTuning("MemoryBacking", P("Memory", "CurrentMemory", "HugePageSize", "Locked", "NoBalloon", "Memfd"));

    public static Dictionary<string, object?> T(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);

    public static LabDocument Doc(params (string Section, Dictionary<string, object?>[] Items)[] sections)
    {
        var tree = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["Uri"] = TestUri };
        foreach (var (section, items) in sections)
        {
            tree[section] = items.Cast<object?>().ToArray();
        }
        return LabDocumentReader.FromTree(tree, Catalog(), TestUri);
    }

    public static string Dom(string name, ulong memKiB = 1048576, int vcpus = 2, string extra = "", string devices = "", string os = "") =>
        $"<domain type='test'><name>{name}</name><uuid>{Guid.NewGuid()}</uuid><memory unit='KiB'>{memKiB}</memory><currentMemory unit='KiB'>{memKiB}</currentMemory>" +
        $"<vcpu placement='static'>{vcpus}</vcpu><os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type>{os}</os>{extra}<devices>{devices}</devices></domain>";

    public static HostState NewHost(params (string Xml, bool Running)[] vms)
    {
        var host = new HostState { Uri = TestUri };
        foreach (var (xml, running) in vms)
        {
            KvmVM vm = KvmPS.Engine.Domains.DomainXml.Read(xml, running ? KvmVMState.Running : KvmVMState.ShutOff, 0, false, true, TestUri);
            host.VMs[vm.Name] = new HostState.VmState(vm, XElement.Parse(xml), running) { LiveVM = running ? vm : null, Live = running ? XElement.Parse(xml) : null };
        }
        return host;
    }

    public static KvmNetwork Network(string name, string subnet, KvmNetworkMode mode = KvmNetworkMode.Nat, bool autostart = false, bool active = true) => new()
    {
        Name = name, Mode = mode, Subnet = subnet, Autostart = autostart, IsActive = active, Persistent = true, Uri = TestUri,
    };
}

using System.Xml.Linq;
using KvmPS.Engine.Configuration;
using Xunit;
using static KvmPS.Engine.Tests.Configuration.ConfigurationTestData;

namespace KvmPS.Engine.Tests.Configuration;

public class ConfigurationPlannerTests
{
    private static List<KvmConfigurationPlanItem> Plan(LabDocument doc, HostState host, string? prune = null) =>
        ConfigurationPlanner.Plan(doc, _ => host, prune);

    private const string Nic = "<interface type='network'><mac address='52:54:00:00:00:01'/><source network='lab'/><model type='virtio'/></interface>";

    [Fact]
    public void CreatesWhatIsMissingWithTheNewCmdletAndItsTuningAfterwards()
    {
        var host = NewHost();
        host.Networks["lab"] = Network("lab", "10.1.0.0/24");
        var doc = Doc(("VMs", new[] { T(("Name", "web"), ("Memory", 1L << 30), ("Network", "lab"), ("Start", true), ("Cpu", T(("Sockets", 1))), ("CpuPin", "Auto")) }));
        KvmConfigurationPlanItem item = Assert.Single(Plan(doc, host));
        Assert.Equal(KvmConfigurationAction.Create, item.Action);
        Assert.Equal(new[] { "New-KvmVM", "Set-KvmCpu", "Set-KvmCpuPin", "Start-KvmVM" }, item.Steps.Select(s => s.Command));
        Assert.False(item.Steps[0].Parameters.ContainsKey("Start"));
        Assert.False(item.Steps[0].Parameters.ContainsKey("Cpu"));
        Assert.Equal(true, item.Steps[2].Parameters["Auto"]);
    }

    [Fact]
    public void FindsNoChangeWhenTheVMMatches()
    {
        var host = NewHost((Dom("web", devices: Nic), false));
        var doc = Doc(("VMs", new[] { T(("Name", "web"), ("Memory", "1GB"), ("VCpuCount", 2), ("Network", "lab"), ("MachineType", "q35"), ("Cdrom", "/x.iso")) }));
        KvmConfigurationPlanItem item = Assert.Single(Plan(doc, host));
        Assert.Equal(KvmConfigurationAction.NoChange, item.Action);
        Assert.Empty(item.Steps);
        Assert.Contains("Cdrom", item.NotCompared);
    }

    [Fact]
    public void UpdatesMemoryInPlaceForTheNextBootOfARunningVM()
    {
        var host = NewHost((Dom("web"), true));
        KvmConfigurationPlanItem item = Assert.Single(Plan(Doc(("VMs", new[] { T(("Name", "web"), ("Memory", 2L << 30), ("VCpuCount", 1)) })), host));
        Assert.Equal(KvmConfigurationAction.Update, item.Action);
        Assert.True(item.NeedsRestart);
        KvmPropertyChange mem = item.Changes.Single(c => c.Property == "Memory");
        Assert.Equal(KvmChangeTiming.NextBoot, mem.Timing);
        Assert.Equal(KvmChangeTiming.Now, item.Changes.Single(c => c.Property == "VCpuCount").Timing);
        KvmConfigurationStep set = Assert.Single(item.Steps);
        Assert.Equal("Set-KvmVM", set.Command);
        Assert.Equal(2UL << 30, set.Parameters["Memory"]);
    }

    [Fact]
    public void ReplacesNothingThatIsFixedWithoutSayingWhy()
    {
        var host = NewHost((Dom("web"), false));
        KvmConfigurationPlanItem item = Assert.Single(Plan(Doc(("VMs", new[] { T(("Name", "web"), ("Firmware", "Uefi"), ("Memory", 2L << 30)) })), host));
        Assert.Equal(KvmConfigurationAction.Replace, item.Action);
        Assert.Contains("Firmware", item.Reason);
        Assert.Empty(item.Steps);
    }

    [Fact]
    public void ChangesANicsNetworkKeepingItsMacAndReplacesTheNicForANewMac()
    {
        var host = NewHost((Dom("web", devices: Nic), false));
        KvmConfigurationPlanItem moved = Assert.Single(Plan(Doc(("VMs", new[] { T(("Name", "web"), ("Network", "lab2")) })), host));
        KvmConfigurationStep set = Assert.Single(moved.Steps);
        Assert.Equal("Set-KvmNetworkAdapter", set.Command);
        Assert.Equal("52:54:00:00:00:01", set.Parameters["MacAddress"]);
        Assert.Equal("lab2", set.Parameters["Network"]);
        KvmConfigurationPlanItem remac = Assert.Single(Plan(Doc(("VMs", new[] { T(("Name", "web"), ("Network", "lab"), ("MacAddress", "52-54-00-00-00-02")) })), host));
        Assert.Equal(new[] { "Remove-KvmNetworkAdapter", "Add-KvmNetworkAdapter" }, remac.Steps.Select(s => s.Command));
        Assert.Equal("52:54:00:00:00:02", remac.Steps[1].Parameters["MacAddress"]);
    }

    [Fact]
    public void ComparesPinsAndTopologyFromTheDefinition()
    {
        const string tuned = "<cpu mode='host-passthrough'><topology sockets='1' dies='1' cores='2' threads='1'/></cpu><cputune><vcpupin vcpu='0' cpuset='0'/><vcpupin vcpu='1' cpuset='1'/></cputune>";
        var host = NewHost((Dom("web", extra: tuned), false));
        var same = Doc(("VMs", new[] { T(("Name", "web"), ("Cpu", T(("Mode", "HostPassthrough"), ("Sockets", 1), ("Cores", 2), ("Threads", 1))), ("CpuPin", "Auto")) }));
        Assert.Equal(KvmConfigurationAction.NoChange, Assert.Single(Plan(same, host)).Action);
        var other = Doc(("VMs", new[] { T(("Name", "web"), ("Cpu", T(("Sockets", 2), ("Cores", 1))), ("CpuPin", T(("Map", T(("0", "1"), ("1", "0")))))) }));
        KvmConfigurationPlanItem item = Assert.Single(Plan(other, host));
        Assert.Equal(new[] { "Cpu.Sockets", "Cpu.Cores", "CpuPin[0]", "CpuPin[1]" }, item.Changes.Select(c => c.Property));
        Assert.Equal(new[] { "Set-KvmCpu", "Set-KvmCpuPin" }, item.Steps.Select(s => s.Command));
    }

    [Fact]
    public void AWaitingBootTimeSettingOfARunningVMIsPending()
    {
        string persistent = Dom("web", memKiB: 2097152);
        var host = NewHost((persistent, true));
        // The running VM still has 1 GiB; its persistent definition has the wanted 2 GiB already.
        KvmVM live = KvmPS.Engine.Domains.DomainXml.Read(Dom("web", memKiB: 1048576).Replace(XElement.Parse(persistent).Element("uuid")!.Value, "x"), KvmVMState.Running, 0, false, true, TestUri);
        var state = host.VMs["web"];
        host.VMs["web"] = state with { LiveVM = live, Live = XElement.Parse(live.Xml) };
        KvmConfigurationPlanItem item = Assert.Single(Plan(Doc(("VMs", new[] { T(("Name", "web"), ("Memory", 2L << 30)) })), host));
        Assert.Equal(KvmConfigurationAction.Update, item.Action);
        Assert.True(item.NeedsRestart);
        Assert.Empty(item.Steps);
        Assert.StartsWith("Restart", item.Changes.Single().Command);
    }

    [Fact]
    public void PrunesOnlyVMsMarkedByTheSameConfiguration()
    {
        string Marked(string name, string config) => Dom(name).Replace("<devices>",
            $"<metadata><m:managed xmlns:m='{ConfigurationMark.Namespace}' configuration='{config}'/></metadata><devices>");
        var host = NewHost((Marked("old", "lab"), false), (Marked("theirs", "other"), false), (Dom("handmade"), false), (Marked("kept", "lab"), false));
        var doc = Doc(("VMs", new[] { T(("Name", "kept")) }));
        Assert.DoesNotContain(Plan(doc, host), i => i.Action == KvmConfigurationAction.Remove);
        KvmConfigurationPlanItem remove = Assert.Single(Plan(doc, host, prune: "lab"), i => i.Action == KvmConfigurationAction.Remove);
        Assert.Equal("old", remove.Name);
        Assert.Equal("Remove-KvmVM", Assert.Single(remove.Steps).Command);
    }

    [Fact]
    public void PlansNetworksSubnetChangesAsReplaceAndAutostartAsUpdate()
    {
        var host = NewHost();
        host.Networks["lab"] = Network("lab", "10.1.0.0/24");
        Assert.Equal(KvmConfigurationAction.NoChange, Assert.Single(Plan(Doc(("Networks", new[] { T(("Name", "lab"), ("Subnet", " 10.1.0.0/24 ")) })), host)).Action);
        Assert.Equal(KvmConfigurationAction.Replace, Assert.Single(Plan(Doc(("Networks", new[] { T(("Name", "lab"), ("Subnet", "10.2.0.0/24")) })), host)).Action);
        KvmConfigurationPlanItem auto = Assert.Single(Plan(Doc(("Networks", new[] { T(("Name", "lab"), ("Autostart", true)) })), host));
        Assert.Equal("Set-KvmNetwork", Assert.Single(auto.Steps).Command);
    }

    [Fact]
    public void GrowsAVolumeAndNeverShrinksIt()
    {
        var host = NewHost();
        host.Volumes["p"] = new Dictionary<string, KvmVolume> { ["v"] = new KvmVolume { Name = "v", Pool = "p", Path = "/p/v", Format = "qcow2", CapacityBytes = 1UL << 30 } };
        KvmConfigurationPlanItem grow = Assert.Single(Plan(Doc(("Volumes", new[] { T(("Name", "v"), ("Pool", "p"), ("Size", "2GB")) })), host));
        Assert.Equal("Resize-KvmVolume", Assert.Single(grow.Steps).Command);
        KvmConfigurationPlanItem shrink = Assert.Single(Plan(Doc(("Volumes", new[] { T(("Name", "v"), ("Pool", "p"), ("Size", "512MB")) })), host));
        Assert.Equal(KvmConfigurationAction.Replace, shrink.Action);
    }

    [Fact]
    public void RefusesANewVMWhoseNetworkNobodyMakes()
    {
        var e = Assert.Throws<ConfigurationException>(() => Plan(Doc(("VMs", new[] { T(("Name", "web"), ("Network", "nowhere")) })), NewHost()));
        Assert.Equal("ConfigurationReferenceMissing", e.ErrorId);
        var ok = Doc(("Networks", new[] { T(("Name", "nowhere")) }), ("VMs", new[] { T(("Name", "web"), ("Network", "nowhere")) }));
        Assert.Equal(2, Plan(ok, NewHost()).Count);
    }

    [Fact]
    public void PutsRemovalsLastWithVMsFirst()
    {
        var host = NewHost((Dom("web"), false));
        host.Networks["lab"] = Network("lab", "10.1.0.0/24");
        var doc = Doc(("Networks", new[] { T(("Name", "lab"), ("Ensure", "Absent")), T(("Name", "new")) }), ("VMs", new[] { T(("Name", "web"), ("Ensure", "Absent")) }));
        Assert.Equal(new[] { "new", "web", "lab" }, Plan(doc, host).Select(i => i.Name));
    }
}

public class DomainPropertiesTests
{
    [Fact]
    public void ListsOnlyThePropertiesThatDiffer()
    {
        var a = XElement.Parse(Dom("a", memKiB: 1048576, vcpus: 2, devices: "<disk type='file' device='disk'><source file='/a.qcow2'/><target dev='vda' bus='virtio'/></disk>"));
        var b = XElement.Parse(Dom("b", memKiB: 2097152, vcpus: 2, devices: "<disk type='file' device='disk'><source file='/b.qcow2'/><target dev='vda' bus='virtio'/></disk>"));
        var d = DomainProperties.Diff("a", DomainProperties.Read(a, TestUri), DomainProperties.Read(b, TestUri), "VMToVM", "b");
        Assert.Equal(new[] { "CurrentMemory", "Disk[vda].Path", "Memory" }, d.Select(x => x.Property));
        Assert.Equal("/a.qcow2", d[1].ReferenceValue);
        Assert.Equal("/b.qcow2", d[1].DifferenceValue);
    }
}

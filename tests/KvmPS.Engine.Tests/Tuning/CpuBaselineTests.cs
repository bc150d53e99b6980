using System.Xml.Linq;
using KvmPS.Engine.Migration;
using KvmPS.Engine.Tuning;
using Xunit;

namespace KvmPS.Engine.Tests.Tuning;

// Set-KvmCpu -Baseline: a baseline CPU element (as virConnectBaselineHypervisorCPU and virsh
// cpu-baseline give it) becomes the domain's CPU model; everything else in the definition stays.
public class CpuBaselineTests
{
    private const string Baseline =
        "<cpu mode='custom' match='exact'><model fallback='forbid'>EPYC</model><vendor>AMD</vendor>" +
        "<feature policy='require' name='x2apic'/><feature policy='require' name='la57'/><feature policy='disable' name='vme'/></cpu>";

    private const string Domain =
        "<domain type='qemu'><name>web1</name><memory unit='KiB'>1048576</memory><vcpu placement='static'>4</vcpu>" +
        "<os><type arch='x86_64' machine='pc'>hvm</type><kernel>/k</kernel><cmdline>console=ttyS0</cmdline></os><features><acpi/><apic/></features>" +
        "<cpu mode='host-passthrough' check='none' migratable='on'><topology sockets='1' dies='1' cores='2' threads='2'/>" +
        "<cache mode='passthrough'/><feature policy='require' name='vmx'/>" +
        "<numa><cell id='0' cpus='0-1' memory='524288' unit='KiB'/><cell id='1' cpus='2-3' memory='524288' unit='KiB'/></numa></cpu>" +
        "<clock offset='utc'/><devices><disk type='file' device='disk'><source file='/var/lib/d.qcow2'/><target dev='vda' bus='virtio'/></disk></devices></domain>";

    private static string WithoutCpu(XElement d)
    {
        var copy = new XElement(d);
        copy.Element("cpu")?.Remove();
        return copy.ToString(SaveOptions.DisableFormatting);
    }

    [Fact]
    public void The_cpu_becomes_custom_with_the_baseline_model_vendor_and_features_and_nothing_else_changes()
    {
        XElement d = XElement.Parse(Domain);
        string before = WithoutCpu(d);
        XElement oldCpu = new(d.Element("cpu")!);
        CpuBaselineXml.Apply(d, Baseline);
        XElement cpu = d.Element("cpu")!;
        Assert.Equal(before, WithoutCpu(d));
        Assert.Equal("custom", (string?)cpu.Attribute("mode"));
        Assert.Equal("exact", (string?)cpu.Attribute("match"));
        Assert.Equal("none", (string?)cpu.Attribute("check"));
        Assert.Equal("EPYC", (string?)cpu.Element("model"));
        Assert.Equal("forbid", (string?)cpu.Element("model")!.Attribute("fallback"));
        Assert.Equal("AMD", (string?)cpu.Element("vendor"));
        Assert.Equal(new[] { "require:x2apic", "require:la57", "disable:vme" },
            cpu.Elements("feature").Select(f => $"{(string?)f.Attribute("policy")}:{(string?)f.Attribute("name")}"));
        // The old mode's own feature is gone; topology and NUMA cells are kept exactly.
        Assert.True(XNode.DeepEquals(oldCpu.Element("topology"), cpu.Element("topology")));
        Assert.True(XNode.DeepEquals(oldCpu.Element("numa"), cpu.Element("numa")));
        Assert.Equal("model,vendor,topology,feature,feature,feature,numa", string.Join(",", cpu.Elements().Select(e => e.Name.LocalName)));
    }

    [Fact]
    public void What_only_host_passthrough_may_carry_is_dropped()
    {
        XElement d = XElement.Parse(Domain);
        CpuBaselineXml.Apply(d, Baseline);
        Assert.Null(d.Element("cpu")!.Attribute("migratable"));
        Assert.Empty(d.Element("cpu")!.Elements("cache"));
    }

    [Fact]
    public void A_cache_element_other_than_passthrough_stays()
    {
        XElement d = XElement.Parse("<domain><name>t</name><cpu mode='host-model'><cache level='3' mode='emulate'/></cpu></domain>");
        CpuBaselineXml.Apply(d, Baseline);
        Assert.Equal("emulate", (string?)d.Element("cpu")!.Element("cache")!.Attribute("mode"));
    }

    [Fact]
    public void A_domain_without_cpu_gets_one_after_features()
    {
        XElement d = XElement.Parse("<domain><name>t</name><os><type>hvm</type></os><features><acpi/></features><devices/></domain>");
        CpuBaselineXml.Apply(d, Baseline);
        Assert.Equal("name,os,features,cpu,devices", string.Join(",", d.Elements().Select(e => e.Name.LocalName)));
        Assert.Equal("EPYC", (string?)d.Element("cpu")!.Element("model"));
    }

    [Fact]
    public void Features_of_the_host_cpu_form_without_a_policy_are_required()
    {
        XElement d = XElement.Parse("<domain><name>t</name></domain>");
        CpuBaselineXml.Apply(d, "<cpu><arch>x86_64</arch><model>Haswell</model><feature name='avx2'/></cpu>");
        XElement cpu = d.Element("cpu")!;
        Assert.Equal("require", (string?)cpu.Element("feature")!.Attribute("policy"));
        Assert.Null(cpu.Element("arch"));
        Assert.Equal("exact", (string?)cpu.Attribute("match"));
    }

    [Theory]
    [InlineData("not xml")]
    [InlineData("<domain><name>x</name></domain>")]
    [InlineData("<cpu mode='custom'><vendor>AMD</vendor></cpu>")]
    [InlineData("<cpu mode='host-model'><model>EPYC</model></cpu>")]
    [InlineData("<cpu mode='custom'><model> </model></cpu>")]
    public void Anything_but_a_baseline_cpu_is_refused(string xml)
    {
        var e = Assert.Throws<TuningException>(() => CpuBaselineXml.Parse(xml, Array.Empty<string>()));
        Assert.Equal("InvalidCpuBaseline", e.ErrorId);
        Assert.Equal(TuningErrorKind.InvalidArgument, e.Kind);
        XElement d = XElement.Parse(Domain);
        Assert.Throws<TuningException>(() => CpuBaselineXml.Apply(d, xml));
        Assert.True(XNode.DeepEquals(XElement.Parse(Domain), d));
    }

    [Fact]
    public void Parse_lists_the_features_the_baseline_asks_for()
    {
        KvmCpuBaseline b = CpuBaselineXml.Parse(Baseline, new[] { "qemu+tcp://a/system", "qemu+tcp://b/system" });
        Assert.Equal("EPYC", b.Model);
        Assert.Equal("AMD", b.Vendor);
        Assert.Equal(new[] { "x2apic", "la57" }, b.Features);
        Assert.Equal(Baseline, b.Xml);
        Assert.Equal(2, b.Uris.Length);
    }

    [Theory]
    [InlineData(KvmCpuMode.HostPassthrough, null)]
    [InlineData(null, "Westmere")]
    [InlineData(KvmCpuMode.Custom, "Westmere")]
    public void A_baseline_with_another_mode_or_model_is_refused_before_anything_changes(KvmCpuMode? mode, string? model)
    {
        XElement d = XElement.Parse(Domain);
        var e = Assert.Throws<TuningException>(() => CpuXml.Apply(d, new CpuChange { BaselineXml = Baseline, Mode = mode, Model = model }, "AMD"));
        Assert.Equal("BaselineConflict", e.ErrorId);
        Assert.True(XNode.DeepEquals(XElement.Parse(Domain), d));
    }

    [Fact]
    public void A_bad_topology_with_a_baseline_changes_nothing()
    {
        XElement d = XElement.Parse(Domain);
        var e = Assert.Throws<TuningException>(() => CpuXml.Apply(d, new CpuChange { BaselineXml = Baseline, Sockets = 3 }, "AMD"));
        Assert.Equal("TopologyMismatch", e.ErrorId);
        Assert.True(XNode.DeepEquals(XElement.Parse(Domain), d));
    }

    [Fact]
    public void Cache_passthrough_cannot_go_with_a_baseline()
    {
        XElement d = XElement.Parse(Domain);
        var e = Assert.Throws<TuningException>(() => CpuXml.Apply(d, new CpuChange { BaselineXml = Baseline, CachePassthrough = true }, "AMD"));
        Assert.Equal("CacheNeedsPassthroughMode", e.ErrorId);
        Assert.True(XNode.DeepEquals(XElement.Parse(Domain), d));
    }

    [Fact]
    public void Features_and_topology_given_with_the_baseline_go_on_top_of_it()
    {
        XElement d = XElement.Parse(Domain);
        CpuXml.Apply(d, new CpuChange { BaselineXml = Baseline, Mode = KvmCpuMode.Custom, Features = new[] { "-la57", "+pcid" }, Sockets = 2, Cores = 1 }, "AMD");
        XElement cpu = d.Element("cpu")!;
        Assert.Equal("EPYC", (string?)cpu.Element("model"));
        Assert.Equal(new[] { "require:x2apic", "disable:la57", "disable:vme", "require:pcid" },
            cpu.Elements("feature").Select(f => $"{(string?)f.Attribute("policy")}:{(string?)f.Attribute("name")}"));
        Assert.Equal("2", (string?)cpu.Element("topology")!.Attribute("sockets"));
        Assert.Equal("1", (string?)cpu.Element("topology")!.Attribute("cores"));
        Assert.Equal("2", (string?)cpu.Element("topology")!.Attribute("threads"));
    }

    [Fact]
    public void The_change_describes_the_baseline_model()
    {
        Assert.Equal("Set CPU baseline EPYC (mode custom), features +pcid", new CpuChange { BaselineXml = Baseline, Features = new[] { "+pcid" } }.Describe());
    }

    [Fact]
    public void The_virtualization_type_and_architecture_come_from_the_domain()
    {
        XElement d = XElement.Parse(Domain);
        Assert.Equal("qemu", CpuBaselineCheck.VirtType(d));
        Assert.Equal("x86_64", CpuBaselineCheck.Arch(d));
        Assert.Null(CpuBaselineCheck.Arch(XElement.Parse("<domain><os><type>hvm</type></os></domain>")));
    }

    [Fact]
    public void A_host_that_cannot_compare_cpus_is_a_refusal_not_a_guess()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        var e = Assert.Throws<TuningException>(() => CpuBaselineCheck.EnsureRunnable(conn, XElement.Parse(Domain), Baseline, "web1"));
        Assert.Equal("CpuCompareUnsupported", e.ErrorId);
        Assert.Equal(TuningErrorKind.ResourceUnavailable, e.Kind);
        Assert.Contains("web1", e.Message);
        Assert.Contains("EPYC", e.Message);
    }

    [Fact]
    public void A_host_that_cannot_make_a_baseline_is_named()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        var e = Assert.Throws<TuningException>(() => CpuBaselineCheck.Make(new[] { conn }, "qemu"));
        Assert.Equal("CpuBaselineUnavailable", e.ErrorId);
        Assert.Contains("test:///default", e.Message);
    }
}

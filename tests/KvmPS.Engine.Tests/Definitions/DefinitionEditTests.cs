using System.Xml.Linq;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Tuning;
using Xunit;

namespace KvmPS.Engine.Tests.Definitions;

// Edits of definitions libvirt accepted but its schema does not, and CPU feature names, on a
// private test-driver host per test (the test driver validates against libvirt's schema).
public sealed class DefinitionEditTests : IDisposable
{
    private readonly string _hostFile;

    public DefinitionEditTests()
    {
        _hostFile = Path.Combine(Path.GetTempPath(), $"kvmps-defs-{Guid.NewGuid():N}.xml");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "fixtures", "testdriver", "smt-host.xml"), _hostFile);
    }

    public void Dispose() => File.Delete(_hostFile);

    private LibvirtConnection Open() => LibvirtConnection.Open("test://" + _hostFile);

    private static string Domain(string disk) =>
        "<domain type='test'><name>rel</name><memory unit='KiB'>524288</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os>"
        + $"<devices><disk type='file' device='disk'><source file='{disk}'/><target dev='vda' bus='virtio'/></disk></devices></domain>";

    [Fact]
    public void The_schema_check_itself_refuses_a_relative_path()
    {
        using var conn = Open();
        var e = Assert.Throws<LibvirtException>(() => DomainService.Define(conn, Domain("rel/a.img"), validate: true));
        Assert.Equal(LibvirtErrorCode.XmlInvalidSchema, e.Code);
    }

    [Fact]
    public void An_edit_of_a_definition_already_outside_the_schema_goes_through_with_a_warning()
    {
        using var conn = Open();
        using var h = DomainService.Define(conn, Domain("rel/a.img"));
        using var scope = EngineWarnings.Collect();
        DomainEditor.EditConfig(conn, h, d => d.Element("vcpu")!.Value = "2");
        Assert.Equal("2", (string?)SafeXml.Parse(DomainService.GetInactiveXml(h)).Element("vcpu"));
        Assert.Contains("does not pass libvirt's schema", Assert.Single(scope.Drain()));
        Assert.Equal("rel/a.img", DomainXml.Read(DomainService.GetInactiveXml(h), KvmVMState.ShutOff, 0, false, true, "u").Disks[0].Path);
    }

    [Fact]
    public void An_edit_that_itself_breaks_the_schema_is_refused_and_changes_nothing()
    {
        using var conn = Open();
        using var h = DomainService.Define(conn, Domain("/img/a.img"));
        string before = DomainService.GetXmlForEdit(h, inactive: true);
        using var scope = EngineWarnings.Collect();
        var e = Assert.Throws<LibvirtException>(() =>
            DomainEditor.EditConfig(conn, h, d => DeviceXml.FindDisk(d, "vda")!.Element("source")!.SetAttributeValue("file", "rel/b.img")));
        Assert.Equal(LibvirtErrorCode.XmlInvalidSchema, e.Code);
        Assert.Equal(before, DomainService.GetXmlForEdit(h, inactive: true));
        Assert.Empty(scope.Drain());
    }

    [Fact]
    public void Unknown_cpu_features_are_named_with_a_hint_and_known_ones_pass()
    {
        using var conn = Open();
        CpuFeatureCatalog.Check(conn, "x86_64", new[] { "sse4.1", "vmx", "svm", "x2apic" }, Array.Empty<string>());
        var e = Assert.Throws<TuningException>(() =>
            CpuFeatureCatalog.Check(conn, "x86_64", new[] { "vmx", "no_such_flag", "sse4_2" }, Array.Empty<string>()));
        Assert.Equal("UnknownCpuFeature", e.ErrorId);
        Assert.Contains("'no_such_flag'", e.Message);
        Assert.Contains("'sse4_2' (did you mean 'sse4.2'?)", e.Message);
        Assert.DoesNotContain("'vmx'", e.Message);
        Assert.Null(CpuFeatureCatalog.Unknown(conn, "aarch64", new[] { "no_such_flag" }));
    }
}

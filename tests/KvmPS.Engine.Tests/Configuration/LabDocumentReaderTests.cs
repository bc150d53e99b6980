using KvmPS.Engine.Configuration;
using Xunit;
using static KvmPS.Engine.Tests.Configuration.ConfigurationTestData;

namespace KvmPS.Engine.Tests.Configuration;

public class LabDocumentReaderTests
{
    [Fact]
    public void ReadsSectionsInDependencyOrderWithCanonicalKeys()
    {
        var tree = T(("VMs", new object[] { T(("Name", "web"), ("MemoryStartupBytes", 1L << 30), ("switchname", "lab")) }),
                     ("Networks", new object[] { T(("Name", "lab"), ("Subnet", "10.1.0.0/24")) }));
        LabDocument doc = LabDocumentReader.FromTree(tree, Catalog(), TestUri);
        Assert.Equal(new[] { KvmResourceKind.Network, KvmResourceKind.VM }, doc.Resources.Select(r => r.Kind));
        DesiredResource vm = doc.Resources[1];
        Assert.Equal(1UL << 30, vm.Settings.Size("Memory"));
        Assert.Equal(new[] { "lab" }, vm.Settings.List("Network"));
        Assert.Contains("Memory", vm.Settings.Values.Keys);
    }

    [Fact]
    public void NamesTheClosestParameterForAMisspeltKey()
    {
        var tree = T(("VMs", new object[] { T(("Name", "web"), ("Memroy", 1)) }));
        var e = Assert.Throws<ConfigurationException>(() => LabDocumentReader.FromTree(tree, Catalog(), TestUri));
        Assert.Equal("ConfigurationKeyUnknown", e.ErrorId);
        Assert.Contains("Did you mean 'Memory'", e.Message);
    }

    [Fact]
    public void ChecksTheKeysOfTuningTablesAgainstTheirCmdlet()
    {
        var tree = T(("VMs", new object[] { T(("Name", "web"), ("Cpu", T(("Socket", 1)))) }));
        var e = Assert.Throws<ConfigurationException>(() => LabDocumentReader.FromTree(tree, Catalog(), TestUri));
        Assert.Contains("Did you mean 'Sockets'", e.Message);
    }

    [Theory]
    [InlineData("Machines", "ConfigurationKeyUnknown")]
    [InlineData("Volumes", "ConfigurationPoolMissing")]
    public void RefusesBadShapes(string section, string errorId)
    {
        var tree = T((section, new object[] { T(("Name", "x"), ("Size", 1)) }));
        Assert.Equal(errorId, Assert.Throws<ConfigurationException>(() => LabDocumentReader.FromTree(tree, Catalog(), TestUri)).ErrorId);
    }

    [Fact]
    public void RefusesAnEntryWithoutNameAndAResourceNamedTwice()
    {
        Assert.Equal("ConfigurationNameMissing", Assert.Throws<ConfigurationException>(() =>
            LabDocumentReader.FromTree(T(("Networks", new object[] { T(("Subnet", "10.0.0.0/24")) })), Catalog(), TestUri)).ErrorId);
        Assert.Equal("ConfigurationNameDuplicate", Assert.Throws<ConfigurationException>(() =>
            LabDocumentReader.FromTree(T(("VMs", new object[] { T(("Name", "a")), T(("Name", "a")) })), Catalog(), TestUri)).ErrorId);
    }

    [Fact]
    public void TheSameNameOnTwoHostsIsTwoResources()
    {
        var tree = T(("VMs", new object[] { T(("Name", "a")), T(("Name", "a"), ("Uri", "test:///other")) }));
        LabDocument doc = LabDocumentReader.FromTree(tree, Catalog(), TestUri);
        Assert.Equal(new[] { TestUri, "test:///other" }, doc.Resources.Select(r => r.Uri));
    }

    [Fact]
    public void ReadsEnsureAndRefusesOtherValues()
    {
        LabDocument doc = LabDocumentReader.FromTree(T(("VMs", new object[] { T(("Name", "a"), ("Ensure", "absent")) })), Catalog(), TestUri);
        Assert.False(doc.Resources[0].Present);
        Assert.Equal("ConfigurationValueInvalid", Assert.Throws<ConfigurationException>(() =>
            LabDocumentReader.FromTree(T(("VMs", new object[] { T(("Name", "a"), ("Ensure", "gone")) })), Catalog(), TestUri)).ErrorId);
    }

    [Fact]
    public void ReadsJsonIntoTheSameTree()
    {
        const string json = "{ \"Uri\": \"test:///x\", /* comment */ \"VMs\": [ { \"Name\": \"web\", \"Memory\": \"2GB\", \"VCpuCount\": 2, \"Network\": [\"a\", \"b\"], \"Cpu\": { \"Sockets\": 1 } }, ] }";
        LabDocument doc = LabDocumentReader.FromJson(json, Catalog(), TestUri);
        DesiredResource vm = Assert.Single(doc.Resources);
        Assert.Equal("test:///x", vm.Uri);
        Assert.Equal(2UL << 30, vm.Settings.Size("Memory"));
        Assert.Equal(2, vm.Settings.Int("VCpuCount"));
        Assert.Equal(new[] { "a", "b" }, vm.Settings.List("Network"));
        Assert.Equal(1, vm.Settings.Table("Cpu")!.Int("Sockets"));
        Assert.Equal("ConfigurationFileInvalid", Assert.Throws<ConfigurationException>(() => LabDocumentReader.FromJson("[1]", Catalog(), TestUri)).ErrorId);
    }

    [Theory]
    [InlineData(2048L, 2048UL)]
    [InlineData("2GB", 2UL << 30)]
    [InlineData("512 MiB", 512UL << 20)]
    [InlineData("1.5GB", 3UL << 29)]
    [InlineData("1tb", 1UL << 40)]
    [InlineData(1073741824.0, 1UL << 30)]
    public void ReadsSizes(object value, ulong bytes) => Assert.Equal(bytes, SizeValue.Parse(value, "x"));

    [Theory]
    [InlineData("lots")]
    [InlineData(-1L)]
    [InlineData("1.3B")]
    [InlineData(1.5)]
    public void RefusesWhatIsNotASize(object value) =>
        Assert.Equal("ConfigurationValueInvalid", Assert.Throws<ConfigurationException>(() => SizeValue.Parse(value, "x")).ErrorId);
}

public class LabYamlReaderTests
{
    [Fact]
    public void ReadsYamlIntoTheSameResourcesAsJson()
    {
        const string yaml = """
            Uri: test:///x
            Networks:
              - Name: lab
                Subnet: 10.1.0.0/24
                Autostart: true
            VMs:
              - Name: web
                Memory: 2GB
                VCpuCount: 2
                Network: [lab]
                Description: '007'
                Cpu:
                  Sockets: 1
            """;
        LabDocument doc = LabYamlReader.FromYaml(yaml, ConfigurationTestData.Catalog(), "test:///default");
        Assert.Equal(new[] { "lab", "web" }, doc.Resources.Select(r => r.Name));
        Assert.Equal("test:///x", doc.Resources[0].Uri);
        Assert.Equal(true, doc.Resources[0].Settings.Bool("Autostart"));
        DesiredResource vm = doc.Resources[1];
        Assert.Equal(2UL << 30, vm.Settings.Size("Memory"));
        Assert.Equal(2L, vm.Settings.Raw("VCpuCount"));
        Assert.Equal("007", vm.Settings.Raw("Description"));
        Assert.Equal(1, vm.Settings.Table("Cpu")!.Int("Sockets"));
    }

    [Theory]
    [InlineData("VMs: [ {Name: a", "ConfigurationFileInvalid")]
    [InlineData("- just\n- a list", "ConfigurationFileInvalid")]
    [InlineData("VMs:\n  - Name: a\n    Name: b", "ConfigurationFileInvalid")]
    public void RefusesWhatIsNotAConfiguration(string yaml, string errorId) =>
        Assert.Equal(errorId, Assert.Throws<ConfigurationException>(() => LabYamlReader.FromYaml(yaml, ConfigurationTestData.Catalog(), "test:///default")).ErrorId);
}

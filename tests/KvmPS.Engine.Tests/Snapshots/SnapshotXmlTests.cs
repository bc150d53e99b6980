using System.Xml.Linq;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Snapshots;
using Xunit;

namespace KvmPS.Engine.Tests.Snapshots;

public sealed class SnapshotXmlTests
{
    private const string External = """
        <domainsnapshot><name>s2</name><description>after</description><state>disk-snapshot</state>
          <parent><name>s1</name></parent><creationTime>1700000000</creationTime>
          <memory snapshot='no'/>
          <disks><disk name='vda' snapshot='external' type='file'><driver type='qcow2'/><source file='/img/v.s2.qcow2'/></disk>
                 <disk name='sda' snapshot='no'/></disks>
          <domain type='qemu'><name>v</name><devices><disk type='file' device='disk'><source file='/img/v.qcow2'/><target dev='vda'/></disk></devices></domain>
        </domainsnapshot>
        """;

    [Fact]
    public void ReadsTheTreeKindStateAndDisks()
    {
        var s = SnapshotXml.Read(External, "v", Guid.Empty, "test:///default", true, new[] { "s3" }, "why", new HashSet<string> { "/img/v.s2.qcow2" });
        Assert.Equal("s2", s.Name);
        Assert.Equal("s1", s.Parent);
        Assert.Equal(new[] { "s3" }, s.Children);
        Assert.Equal("DiskSnapshot", s.State);
        Assert.Equal(KvmSnapshotKind.External, s.Kind);
        Assert.False(s.IncludesMemory);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000).LocalDateTime, s.CreationTime);
        Assert.True(s.Disks.Single(d => d.Target == "vda").OwnedByVM);
        Assert.Equal(KvmSnapshotKind.None, s.Disks.Single(d => d.Target == "sda").Kind);
        Assert.Equal("why", s.Reason);
    }

    [Fact]
    public void ARedefineChangesOnlyNameAndDescription()
    {
        var x = XElement.Parse(SnapshotXml.Redefined(External, "new<name>", "d\"", true));
        Assert.Equal("new<name>", (string?)x.Element("name"));
        Assert.Equal("d\"", (string?)x.Element("description"));
        Assert.Equal("s1", (string?)x.Element("parent")!.Element("name"));
        Assert.Null(XElement.Parse(SnapshotXml.Redefined(External, null, "", true)).Element("description"));
    }

    [Fact]
    public void AMergedOverlayBecomesTheChildsBase()
    {
        var x = XElement.Parse(SnapshotRemover.WithBase(External, "vda", "/img/v.qcow2", "/img/base.qcow2"));
        Assert.Equal("/img/base.qcow2", (string?)x.Element("domain")!.Element("devices")!.Element("disk")!.Element("source")!.Attribute("file"));
        Assert.Equal("s1", SnapshotXml.ParentOf(SnapshotXml.WithParent(External, "s1")));
        Assert.Null(SnapshotXml.ParentOf(SnapshotXml.WithParent(External, null)));
    }

    [Fact]
    public void RemovalOrderIsLeavesFirst()
    {
        var all = new List<KvmSnapshot>
        {
            new() { Name = "a", Children = new[] { "b", "c" } },
            new() { Name = "b", Children = new[] { "d" } },
            new() { Name = "c" },
            new() { Name = "d" },
        };
        Assert.Equal(new[] { "d", "b", "c", "a" }, SnapshotRemover.Order(all, "a", includeChildren: true));
        Assert.Equal(new[] { "a" }, SnapshotRemover.Order(all, "a", includeChildren: false));
    }

    [Fact]
    public void TheRecordKeepsReasonAndOwnedFilesPerSnapshot()
    {
        var vm = XElement.Parse("<domain><name>v</name><uuid>11111111-2222-3333-4444-555555555555</uuid><devices/></domain>");
        var plan = new SnapshotPlan(new SnapshotRequest("v", "s", null, true, false, false), KvmSnapshotKind.External, false, null,
            new[] { new SnapshotDiskPlan("vda", KvmSnapshotKind.External, "/img/v.s.qcow2") }, "because");
        SnapshotRecord.Add(vm, plan);
        var reparsed = XElement.Parse(vm.ToString());
        Assert.Equal("because", SnapshotRecord.Reason(reparsed, "s"));
        Assert.Equal(new[] { "/img/v.s.qcow2" }, SnapshotRecord.Files(reparsed, "s"));
        Assert.Contains("/img/v.s.qcow2", DomainXml.OwnedPaths(reparsed));
        SnapshotRecord.Rename(reparsed, "s", "t");
        Assert.Equal("because", SnapshotRecord.Reason(reparsed, "t"));
        Assert.True(SnapshotRecord.Remove(reparsed, "t"));
        Assert.Empty(SnapshotRecord.AllFiles(reparsed));
    }
}

using System.Xml.Linq;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Snapshots;
using Xunit;

namespace KvmPS.Engine.Tests.Snapshots;

public sealed class MemoryRevertPlannerTests
{
    private static readonly Guid Uuid = Guid.Parse("11111111-2222-3333-4444-555555555555");

    private static string Disk(string target, string format, string file) =>
        $"<disk type='file' device='disk'><driver name='qemu' type='{format}'/><source file='{file}'/><target dev='{target}' bus='virtio'/></disk>";

    private static string Domain(Guid uuid, params string[] disks) =>
        $"<domain type='qemu'><name>v</name><uuid>{uuid}</uuid><devices>{string.Concat(disks)}</devices></domain>";

    // What libvirt keeps for an external snapshot with memory: the overlay per disk, the memory
    // file, and the definition of that moment (disks on the images the snapshot froze).
    private static string Snapshot(string state = "running", string memory = "external", string disks = "", string? frozen = null) =>
        $"<domainsnapshot><name>s 1</name><state>{state}</state><memory snapshot='{memory}' file='/img/v.s_1.mem'/>" +
        $"<disks>{(disks.Length > 0 ? disks : "<disk name='vda' snapshot='external' type='file'><driver type='qcow2'/><source file='/img/data.s_1.qcow2'/></disk>")}</disks>" +
        (frozen ?? Domain(Uuid, Disk("vda", "raw", "/img/data.raw"))) + "</domainsnapshot>";

    private static string Saved(Guid? uuid = null) => Domain(uuid ?? Uuid, Disk("vda", "raw", "/img/data.raw"));

    private static XElement Config() => XElement.Parse(Domain(Uuid, Disk("vda", "qcow2", "/img/data.s_1.qcow2"),
        "<disk type='file' device='cdrom'><driver name='qemu' type='raw'/><source file='/iso/x.iso'/><target dev='sda' bus='sata'/><readonly/></disk>"));

    private static MemoryRevertPlan Plan(string? snapshot = null, string? saved = null, int children = 0, Func<string, bool>? taken = null) =>
        MemoryRevertPlanner.Plan("v", Uuid, snapshot ?? Snapshot(), saved ?? Saved(), Config(), children, taken ?? (p => p == "/img/data.s_1.qcow2"));

    [Fact]
    public void TheNewOverlayIsANewFileBesideTheOldOneSoTheOldStaysUntilTheEnd()
    {
        MemoryRevertPlan p = Plan();
        MemoryRevertDisk d = Assert.Single(p.Disks);
        Assert.Equal("vda", d.Target);
        Assert.Equal("/img/data.s_1.qcow2", d.OldOverlay);
        Assert.Equal("/img/data.s_1-2.qcow2", d.NewOverlay);
        Assert.Equal("raw", d.FrozenFormat);
        Assert.Equal("/img/data.raw", (string?)XElement.Parse(d.Frozen).Attribute("file"));
        Assert.Equal("/img/v.s_1.mem", p.MemoryFile);
        Assert.False(p.StartPaused);
    }

    [Fact]
    public void ASecondRevertTakesTheFirstNameAgainOnceItIsFree()
    {
        string snap = Snapshot(disks: "<disk name='vda' snapshot='external' type='file'><driver type='qcow2'/><source file='/img/data.s_1-2.qcow2'/></disk>");
        MemoryRevertPlan p = Plan(snap, taken: path => path == "/img/data.s_1-2.qcow2");
        Assert.Equal("/img/data.s_1.qcow2", p.Disks[0].NewOverlay);
        Assert.Equal("/img/data.s_1-2.qcow2", p.Disks[0].OldOverlay);
    }

    [Fact]
    public void TheRestoredGuestWritesToTheNewOverlayNeverToTheFrozenImage()
    {
        XElement x = XElement.Parse(Plan().RestoreXml);
        XElement disk = x.Element("devices")!.Elements("disk").Single();
        Assert.Equal("/img/data.s_1-2.qcow2", (string?)disk.Element("source")!.Attribute("file"));
        Assert.Equal("qcow2", (string?)disk.Element("driver")!.Attribute("type"));
        Assert.Equal("file", (string?)disk.Attribute("type"));
        Assert.Null(disk.Element("backingStore"));
        Assert.Equal(Uuid.ToString(), (string?)x.Element("uuid"));
    }

    [Fact]
    public void TheOverlaySnapshotNamesEveryDiskAndOnlyTheSnapshotDisksGetOverlays()
    {
        XElement x = XElement.Parse(Plan().OverlayXml);
        Assert.Equal("no", (string?)x.Element("memory")!.Attribute("snapshot"));
        var disks = x.Element("disks")!.Elements("disk").ToDictionary(d => (string)d.Attribute("name")!, d => d);
        Assert.Equal(["sda", "vda"], disks.Keys.Order());
        Assert.Equal("external", (string?)disks["vda"].Attribute("snapshot"));
        Assert.Equal("/img/data.s_1-2.qcow2", (string?)disks["vda"].Element("source")!.Attribute("file"));
        Assert.Equal("no", (string?)disks["sda"].Attribute("snapshot"));
    }

    [Fact]
    public void TheSnapshotIsRedefinedOntoTheNewOverlaysWithItsMemoryFileAndFrozenDefinitionKept()
    {
        XElement x = XElement.Parse(Plan().SnapshotXml);
        Assert.Equal("/img/data.s_1-2.qcow2", (string?)x.Element("disks")!.Element("disk")!.Element("source")!.Attribute("file"));
        Assert.Equal("/img/v.s_1.mem", (string?)x.Element("memory")!.Attribute("file"));
        Assert.Equal("/img/data.raw", (string?)x.Element("domain")!.Element("devices")!.Element("disk")!.Element("source")!.Attribute("file"));
    }

    [Fact]
    public void TheDefinitionIsPointedAtTheFrozenImageInItsFormatAndRecordsTheNewOverlay()
    {
        MemoryRevertPlan p = Plan();
        XElement config = Config();
        SnapshotRecord.AddFile(config, "s 1", "/img/data.s_1.qcow2");
        MemoryRevertPlanner.PointAtFrozen(config, p);
        XElement disk = config.Element("devices")!.Elements("disk").First();
        Assert.Equal("/img/data.raw", (string?)disk.Element("source")!.Attribute("file"));
        Assert.Equal("raw", (string?)disk.Element("driver")!.Attribute("type"));
        var record = config.Element("metadata")!.Element(DomainXml.KvmPSNs + "kvmps")!.Elements(DomainXml.KvmPSNs + "owned")
            .Select(e => (string?)e.Attribute("path")).ToList();
        Assert.Equal(["/img/data.s_1-2.qcow2"], record);
        // The CD-ROM is left alone.
        Assert.Equal("/iso/x.iso", (string?)config.Element("devices")!.Elements("disk").Last().Element("source")!.Attribute("file"));
    }

    [Fact]
    public void ThePresentStateIsKeptInAFreeFileBesideTheMemoryFile()
    {
        MemoryRevertPlan p = Plan(taken: path => path is "/img/data.s_1.qcow2" or "/img/v.before-revert.save");
        Assert.Equal("/img/v.before-revert-2.save", p.KeepFile);
        Assert.Contains(p.KeepFile, p.Method(running: true));
        Assert.DoesNotContain(p.KeepFile, p.Method(running: false));
        Assert.Contains("/img/v.s_1.mem", p.Method(running: false));
    }

    [Fact]
    public void APausedSnapshotComesBackPaused() => Assert.True(Plan(Snapshot(state: "paused")).StartPaused);

    [Fact]
    public void AMemoryFileOfAnotherVmIsRefused()
    {
        var e = Assert.Throws<VmRequestException>(() => Plan(saved: Saved(Guid.NewGuid())));
        Assert.Equal("MemoryImageOfAnotherVM", e.ErrorId);
    }

    [Fact]
    public void ASnapshotWithChildrenIsRefused()
    {
        var e = Assert.Throws<VmRequestException>(() => Plan(children: 1));
        Assert.Equal("ExternalRevertWithChildren", e.ErrorId);
        Assert.Equal(KvmErrorKind.NotSupported, e.Kind);
    }

    [Fact]
    public void ASnapshotWithoutAMemoryFileIsRefused()
    {
        var e = Assert.Throws<VmRequestException>(() => Plan(Snapshot(memory: "no")));
        Assert.Equal("NoMemoryFile", e.ErrorId);
    }

    [Fact]
    public void ADiskTheSavedGuestDoesNotHaveIsRefused()
    {
        string saved = Domain(Uuid, Disk("vdc", "raw", "/img/other.raw"));
        var e = Assert.Throws<VmRequestException>(() => Plan(saved: saved));
        Assert.Equal("SnapshotDiskMissing", e.ErrorId);
        Assert.Contains("vda", e.Message);
    }

    [Fact]
    public void ASnapshotWithoutExternalDisksIsRefused()
    {
        var e = Assert.Throws<VmRequestException>(() => Plan(Snapshot(disks: "<disk name='vda' snapshot='no'/>")));
        Assert.Equal("NoExternalDisks", e.ErrorId);
    }
}

using System.Xml.Linq;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Snapshots;
using Xunit;

namespace KvmPS.Engine.Tests.Snapshots;

public sealed class SnapshotPlannerTests
{
    private static XElement Vm(string disks, string os = "<os><type>hvm</type></os>") =>
        XElement.Parse($"<domain type='qemu'><name>v</name><uuid>11111111-2222-3333-4444-555555555555</uuid>{os}<devices>{disks}</devices></domain>");

    private static string Disk(string target, string format, string file, string extra = "", string device = "disk") =>
        $"<disk type='file' device='{device}'><driver name='qemu' type='{format}'/><source file='{file}'/><target dev='{target}'/>{extra}</disk>";

    private static SnapshotRequest Req(string name = "s1", bool diskOnly = false, bool memory = false, bool quiesce = false) =>
        new("v", name, null, diskOnly, memory, quiesce);

    private static SnapshotPlan Plan(SnapshotRequest r, XElement vm, bool active, Func<string, bool>? taken = null, params string[] existing) =>
        SnapshotPlanner.Plan(r, vm, active, existing, taken ?? (_ => false));

    [Fact]
    public void QcowDisksOfAStoppedVmGetAnInternalSnapshot()
    {
        var p = Plan(Req(), Vm(Disk("vda", "qcow2", "/img/v.qcow2")), active: false);
        Assert.Equal(KvmSnapshotKind.Internal, p.Kind);
        Assert.False(p.WithMemory);
        Assert.Empty(p.CreatedFiles);
        Assert.Contains("qcow2", p.Reason);
        Assert.Equal("no", (string?)XElement.Parse(p.ToXml()).Element("memory")!.Attribute("snapshot"));
    }

    [Fact]
    public void ARunningQcowVmGetsAnInternalSnapshotWithMemory()
    {
        var p = Plan(Req(), Vm(Disk("vda", "qcow2", "/img/v.qcow2")), active: true);
        Assert.Equal(KvmSnapshotKind.Internal, p.Kind);
        Assert.True(p.WithMemory);
        Assert.Equal("internal", (string?)XElement.Parse(p.ToXml()).Element("memory")!.Attribute("snapshot"));
        Assert.Equal(0u, p.Flags);
    }

    [Fact]
    public void ARawDiskNeedsAnExternalSnapshotWithOverlaysBesideTheDisks()
    {
        var p = Plan(Req(), Vm(Disk("vda", "raw", "/img/v.img") + Disk("vdb", "qcow2", "/data/d.qcow2")), active: false);
        Assert.Equal(KvmSnapshotKind.External, p.Kind);
        Assert.Contains("disk vda is raw", p.Reason);
        Assert.Equal(new[] { "/img/v.s1.qcow2", "/data/d.s1.qcow2" }, p.Disks.Select(d => d.Overlay));
        Assert.True(p.DiskOnly);
        Assert.NotEqual(0u, p.Flags & Native.Libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY);
    }

    [Theory]
    [InlineData("<os><type>hvm</type><loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader><nvram>/var/lib/libvirt/qemu/nvram/v_VARS.fd</nvram></os>")]
    [InlineData("<os firmware='efi'><type>hvm</type></os>")]
    public void AUefiGuestWithPflashGetsAnExternalSnapshot(string os)
    {
        var p = Plan(Req(), Vm(Disk("vda", "qcow2", "/img/v.qcow2"), os), active: false);
        Assert.Equal(KvmSnapshotKind.External, p.Kind);
        Assert.Contains("pflash", p.Reason);
    }

    [Fact]
    public void ARunningVmThatCannotHaveInternalKeepsMemoryOnlyWithMemory()
    {
        var vm = Vm(Disk("vda", "raw", "/img/v.img"));
        var without = Plan(Req(), vm, active: true);
        Assert.False(without.WithMemory);
        Assert.Contains("-Memory", without.Reason);
        var with = Plan(Req(memory: true), vm, active: true);
        Assert.True(with.WithMemory);
        Assert.Equal("/img/v.s1.mem", with.MemoryFile);
        var memory = XElement.Parse(with.ToXml()).Element("memory")!;
        Assert.Equal("external", (string?)memory.Attribute("snapshot"));
        Assert.Equal(0u, with.Flags & Native.Libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY);
    }

    [Fact]
    public void DiskOnlyAndQuiesceAreExternalEvenOnQcow()
    {
        var vm = Vm(Disk("vda", "qcow2", "/img/v.qcow2"));
        Assert.Equal(KvmSnapshotKind.External, Plan(Req(diskOnly: true), vm, active: true).Kind);
        var q = Plan(Req(quiesce: true), vm, active: true);
        Assert.Equal(KvmSnapshotKind.External, q.Kind);
        Assert.NotEqual(0u, q.Flags & Native.Libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE);
    }

    [Fact]
    public void CdromsAndReadOnlyDisksAreLeftOutAndDoNotBlockInternal()
    {
        var vm = Vm(Disk("vda", "qcow2", "/img/v.qcow2") + Disk("sda", "raw", "/iso/x.iso", "<readonly/>", "cdrom") + Disk("vdc", "raw", "/img/shared.img", "<shareable/>"));
        var p = Plan(Req(), vm, active: false);
        Assert.Equal(KvmSnapshotKind.Internal, p.Kind);
        Assert.Equal(KvmSnapshotKind.None, p.Disks.Single(d => d.Target == "sda").Kind);
        Assert.Equal(KvmSnapshotKind.None, p.Disks.Single(d => d.Target == "vdc").Kind);
    }

    [Fact]
    public void OverlayNamesAreSafeAndDoNotTakeAnExistingFile()
    {
        var p = Plan(Req("a\"<b>:c"), Vm(Disk("vda", "raw", "/img/v.img")), active: false, taken: f => f == "/img/v.a__b__c.qcow2");
        Assert.Equal("/img/v.a__b__c-2.qcow2", p.Disks.Single().Overlay);
    }

    [Fact]
    public void TheXmlKeepsQuotesAndAngleBracketsOfTheName()
    {
        var r = new SnapshotRequest("v", "q\"<x>&'y", "d<e>\"", false, false, false);
        var x = XElement.Parse(SnapshotPlanner.Plan(r, Vm(Disk("vda", "qcow2", "/img/v.qcow2")), false, Array.Empty<string>(), _ => false).ToXml());
        Assert.Equal("q\"<x>&'y", (string?)x.Element("name"));
        Assert.Equal("d<e>\"", (string?)x.Element("description"));
    }

    [Theory]
    [InlineData(false, true, true, false, "MemoryWithDiskOnly")]
    [InlineData(false, false, true, true, "QuiesceWithMemory")]
    [InlineData(false, false, true, false, "MemoryOfStoppedVM")]
    [InlineData(false, false, false, false, null)]
    public void RefusalsComeBeforeAnything(bool _, bool diskOnly, bool memory, bool quiesce, string? errorId)
    {
        var r = Req(diskOnly: diskOnly, memory: memory, quiesce: quiesce);
        var vm = Vm(Disk("vda", "qcow2", "/img/v.qcow2"));
        if (errorId is null)
        {
            Assert.Equal(KvmSnapshotKind.Internal, Plan(r, vm, active: false).Kind);
            return;
        }
        var e = Assert.Throws<VmRequestException>(() => Plan(r, vm, active: false));
        Assert.Equal(errorId, e.ErrorId);
    }

    [Fact]
    public void QuiesceNeedsARunningVm() =>
        Assert.Equal("QuiesceNeedsRunningVM", Assert.Throws<VmRequestException>(() => Plan(Req(quiesce: true), Vm(Disk("vda", "qcow2", "/a")), false)).ErrorId);

    [Fact]
    public void ANameInUseIsResourceExists()
    {
        var e = Assert.Throws<VmRequestException>(() => Plan(Req("s1"), Vm(Disk("vda", "qcow2", "/a")), false, null, "s1"));
        Assert.Equal("SnapshotExists", e.ErrorId);
        Assert.Equal(KvmErrorKind.AlreadyExists, e.Kind);
        // Names are case-sensitive, as libvirt's are.
        Assert.Equal(KvmSnapshotKind.Internal, Plan(Req("S1"), Vm(Disk("vda", "qcow2", "/a")), false, null, "s1").Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" lead")]
    [InlineData("a/b")]
    [InlineData("tab\there")]
    public void InvalidNamesAreRefused(string name) =>
        Assert.Equal("InvalidSnapshotName", Assert.Throws<VmRequestException>(() => Plan(Req(name), Vm(Disk("vda", "qcow2", "/a")), false)).ErrorId);

    [Fact]
    public void AVmWithoutWritableDisksIsRefused() =>
        Assert.Equal("NoDisksToSnapshot", Assert.Throws<VmRequestException>(() =>
            Plan(Req(), Vm(Disk("sda", "raw", "/iso/x.iso", "<readonly/>", "cdrom")), false)).ErrorId);
}

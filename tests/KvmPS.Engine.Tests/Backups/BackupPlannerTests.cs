using System.Xml.Linq;
using KvmPS.Engine.Backups;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>The backup planner: full or incremental, the files, the checkpoints, and each refusal before anything is written.</summary>
public sealed class BackupPlannerTests
{
    private static readonly Guid Uuid = Guid.Parse("11111111-2222-3333-4444-555555555555");
    private static readonly DateTime Now = new(2026, 12, 1, 10, 20, 30, 456, DateTimeKind.Utc);

    private static BackupDiskSource Disk(string target = "vda", string format = "qcow2", int? version = 3, ulong allocation = 1 << 20, string device = "disk", bool readOnly = false) =>
        new(target, device, $"/images/{target}.{format}", format, version, allocation, readOnly);

    private static BackupRequest Request(bool incremental = false, BackupManifest? existing = null, IReadOnlyList<BackupDiskSource>? disks = null,
        string[]? checkpoints = null, BackupDestination? dest = null, KvmVMState state = KvmVMState.Running, bool local = true) =>
        new("web1", Uuid, state, true, local, incremental, disks ?? new[] { Disk() }, checkpoints ?? Array.Empty<string>(),
            dest ?? new BackupDestination("/backup/web1", false, false, null, 1UL << 40), existing, Now);

    private static BackupManifest Chain(params (string Kind, string? Checkpoint)[] entries) => new()
    {
        VmName = "web1",
        VmUuid = Uuid,
        Chain = entries.Select((e, i) => new BackupManifestEntry
        {
            Index = i, Kind = e.Kind, Checkpoint = e.Checkpoint, ParentCheckpoint = i == 0 ? null : entries[i - 1].Checkpoint,
            Disks = { new BackupManifestDisk { Target = "vda", File = BackupPlanner.DiskFile(i, "vda"), Sha256 = "00" } },
        }).ToList(),
    };

    private static string Refusal(BackupRequest r) => Assert.Throws<BackupException>(() => BackupPlanner.Plan(r)).ErrorId;

    [Fact]
    public void A_full_backup_writes_each_writable_disk_and_makes_a_checkpoint()
    {
        var disks = new[] { Disk("vda"), Disk("vdb", allocation: 3 << 20), Disk("hdc", "raw", null, device: "cdrom", readOnly: true) };
        BackupPlan p = BackupPlanner.Plan(Request(disks: disks));
        Assert.Equal(BackupKinds.Full, p.Kind);
        Assert.Equal(0, p.Index);
        Assert.Equal(new[] { "/backup/web1/00-vda.qcow2", "/backup/web1/00-vdb.qcow2" }, p.Disks.Select(d => d.FullPath));
        Assert.Equal("kvmps-backup-20261201T102030456Z", p.Checkpoint);
        Assert.Null(p.ParentCheckpoint);
        Assert.Equal(4UL << 20, p.EstimatedBytes);
        Assert.False(p.StartPaused);

        XElement backup = XElement.Parse(p.BackupXml);
        Assert.Equal("push", (string?)backup.Attribute("mode"));
        Assert.Null(backup.Element("incremental"));
        var vda = backup.Element("disks")!.Elements("disk").Single(d => (string?)d.Attribute("name") == "vda");
        Assert.Equal("yes", (string?)vda.Attribute("backup"));
        Assert.Equal("/backup/web1/00-vda.qcow2", (string?)vda.Element("target")!.Attribute("file"));
        Assert.Equal("qcow2", (string?)vda.Element("driver")!.Attribute("type"));
        Assert.DoesNotContain(backup.Element("disks")!.Elements("disk"), d => (string?)d.Attribute("name") == "hdc");

        XElement cp = XElement.Parse(p.CheckpointXml!);
        Assert.Equal(p.Checkpoint, (string?)cp.Element("name"));
        Assert.All(cp.Element("disks")!.Elements("disk"), d => Assert.Equal("bitmap", (string?)d.Attribute("checkpoint")));
    }

    [Fact]
    public void An_incremental_backup_copies_the_changes_since_the_last_checkpoint()
    {
        var chain = Chain((BackupKinds.Full, "cp0"), (BackupKinds.Incremental, "cp1"));
        BackupPlan p = BackupPlanner.Plan(Request(incremental: true, existing: chain, checkpoints: new[] { "cp0", "cp1" },
            dest: new BackupDestination("/backup/web1", true, true, null, 0)));
        Assert.Equal(BackupKinds.Incremental, p.Kind);
        Assert.Equal(2, p.Index);
        Assert.Equal("cp1", p.ParentCheckpoint);
        Assert.Equal("02-vda.qcow2", p.Disks.Single().File);
        Assert.Equal("02-definition.xml", p.DefinitionFile);
        Assert.Equal("cp1", (string?)XElement.Parse(p.BackupXml).Element("incremental"));
        Assert.Equal(0UL, p.EstimatedBytes);
    }

    [Fact]
    public void A_shut_off_vm_is_started_paused_for_the_backup()
    {
        BackupPlan p = BackupPlanner.Plan(Request(state: KvmVMState.ShutOff));
        Assert.True(p.StartPaused);
        Assert.Contains(p.Notes, n => n.Contains("started paused"));
        Assert.Contains("started paused", p.Describe());
    }

    [Theory]
    [InlineData("raw", null)]
    [InlineData("qcow2", 2)]
    public void A_disk_without_bitmaps_gets_no_checkpoint_and_no_incremental(string format, int? version)
    {
        BackupPlan p = BackupPlanner.Plan(Request(disks: new[] { Disk(format: format, version: version) }));
        Assert.Null(p.Checkpoint);
        Assert.Null(p.CheckpointXml);
        Assert.Contains(p.Notes, n => n.Contains("No checkpoint"));
        var chain = Chain((BackupKinds.Full, "cp0"));
        Assert.Equal("IncrementalNeedsQcow2v3", Refusal(Request(incremental: true, existing: chain, checkpoints: new[] { "cp0" },
            disks: new[] { Disk(format: format, version: version) })));
    }

    [Fact]
    public void Refusals_come_before_anything_is_written()
    {
        var chain = Chain((BackupKinds.Full, "cp0"));
        Assert.Equal("BackupNeedsLocalHost", Refusal(Request(local: false)));
        Assert.Equal("DestinationNotWritable", Refusal(Request(dest: new BackupDestination("/ro", false, false, "read-only", null))));
        Assert.Equal("DestinationFull", Refusal(Request(dest: new BackupDestination("/small", false, false, null, 1000))));
        Assert.Equal("DestinationNotEmpty", Refusal(Request(dest: new BackupDestination("/b", true, true, null, null))));
        Assert.Equal("BackupChainExists", Refusal(Request(existing: chain)));
        Assert.Equal("NoFullBackup", Refusal(Request(incremental: true)));
        Assert.Equal("CheckpointMissing", Refusal(Request(incremental: true, existing: chain)));
        Assert.Equal("ChainHasNoCheckpoint", Refusal(Request(incremental: true, existing: Chain((BackupKinds.Full, null)))));
        Assert.Equal("DisksChanged", Refusal(Request(incremental: true, existing: chain, checkpoints: new[] { "cp0" }, disks: new[] { Disk("vda"), Disk("vdb") })));
        Assert.Equal("NothingToBackUp", Refusal(Request(disks: new[] { Disk("hdc", device: "cdrom") })));
        var other = Chain((BackupKinds.Full, "cp0"));
        other.VmUuid = Guid.NewGuid();
        Assert.Equal("BackupOfAnotherVM", Refusal(Request(incremental: true, existing: other, checkpoints: new[] { "cp0" })));
    }

    [Fact]
    public void A_checkpoint_name_already_on_the_vm_is_not_reused()
    {
        BackupPlan p = BackupPlanner.Plan(Request(checkpoints: new[] { "kvmps-backup-20261201T102030456Z" }));
        Assert.Equal("kvmps-backup-20261201T102030456Z-0", p.Checkpoint);
    }
}

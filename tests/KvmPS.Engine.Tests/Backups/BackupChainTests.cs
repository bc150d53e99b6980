using System.Text.Json.Nodes;
using KvmPS.Engine.Backups;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>The manifest (JSON round trip), the chain rules, and what a restore reads from a chain.</summary>
public sealed class BackupChainTests
{
    private static BackupManifest Manifest(int incrementals)
    {
        var m = new BackupManifest { VmName = "web1", VmUuid = Guid.NewGuid() };
        for (int i = 0; i <= incrementals; i++)
        {
            m.Chain.Add(new BackupManifestEntry
            {
                Index = i, Kind = i == 0 ? BackupKinds.Full : BackupKinds.Incremental, Checkpoint = $"cp{i}",
                ParentCheckpoint = i == 0 ? null : $"cp{i - 1}", Definition = BackupPlanner.DefinitionFile(i),
                StartedUtc = new DateTime(2026, 12, 1, 10, i, 0, DateTimeKind.Utc),
                Disks = { new BackupManifestDisk { Target = "vda", File = BackupPlanner.DiskFile(i, "vda"), Sha256 = $"{i:x64}", VirtualSizeBytes = 1 << 30 } },
            });
        }
        return m;
    }

    [Fact]
    public void The_manifest_survives_a_round_trip_through_json()
    {
        BackupManifest m = Manifest(2);
        string json = m.ToJson();
        Assert.Contains("\"vmName\": \"web1\"", json);
        BackupManifest back = BackupManifest.FromJson(json);
        Assert.Equal(m.VmUuid, back.VmUuid);
        Assert.Equal(new[] { "cp0", "cp1", "cp2" }, back.Chain.Select(e => e.Checkpoint));
        Assert.Equal("02-vda.qcow2", back.Chain[2].Disks[0].File);
        Assert.Equal(1UL << 30, back.Chain[2].Disks[0].VirtualSizeBytes);
    }

    [Theory]
    [InlineData("{ nope")]
    [InlineData("null")]
    [InlineData("{\"formatVersion\": 99, \"chain\": []}")]
    public void A_manifest_this_version_cannot_read_is_refused(string json) =>
        Assert.Throws<InvalidDataException>(() => BackupManifest.FromJson(json));

    [Fact]
    public void Saving_replaces_the_manifest_whole()
    {
        string dir = Directory.CreateTempSubdirectory("kvmps-manifest-").FullName;
        try
        {
            Manifest(0).Save(dir);
            Manifest(1).Save(dir);
            Assert.Equal(2, BackupManifest.TryLoad(dir)!.Chain.Count);
            Assert.Equal(new[] { BackupManifest.FileName }, Directory.GetFiles(dir).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void A_whole_chain_validates_and_restores_up_to_a_checkpoint()
    {
        BackupManifest m = Manifest(3);
        BackupChain.Validate(m, "/b");
        Assert.Equal(4, BackupChain.UpTo(m, "/b", null, null).Count);
        Assert.Equal(2, BackupChain.UpTo(m, "/b", "cp1", null).Count);
        Assert.Single(BackupChain.UpTo(m, "/b", null, 0));
        Assert.Equal("CheckpointNotInBackup", Assert.Throws<BackupException>(() => BackupChain.UpTo(m, "/b", "cp9", null)).ErrorId);
        var files = BackupChain.FilesByDisk(BackupChain.UpTo(m, "/b", "cp2", null));
        Assert.Equal(new[] { "00-vda.qcow2", "01-vda.qcow2", "02-vda.qcow2" }, files["vda"].Select(f => f.File));
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("incremental first")]
    [InlineData("second full")]
    [InlineData("wrong parent")]
    [InlineData("index gap")]
    [InlineData("path as file")]
    [InlineData("disks differ")]
    public void A_broken_chain_is_refused(string how)
    {
        BackupManifest m = Manifest(2);
        switch (how)
        {
            case "empty": m.Chain.Clear(); break;
            case "incremental first": m.Chain[0].Kind = BackupKinds.Incremental; break;
            case "second full": m.Chain[2].Kind = BackupKinds.Full; break;
            case "wrong parent": m.Chain[2].ParentCheckpoint = "cp0"; break;
            case "index gap": m.Chain[1].Index = 5; break;
            case "path as file": m.Chain[1].Disks[0].File = "../../etc/shadow"; break;
            case "disks differ": m.Chain[1].Disks[0].Target = "vdb"; break;
        }
        var e = Assert.Throws<BackupException>(() => BackupChain.Validate(m, "/b"));
        Assert.Equal("BackupChainBroken", e.ErrorId);
        Assert.Contains("/b", e.Message);
    }

    [Fact]
    public void The_chain_spec_layers_the_files_newest_on_top_and_ends_without_backing()
    {
        string spec = RestorePlanner.ChainSpec(new[] { "/b/00-vda.qcow2", "/b/01-vda.qcow2", "/b/02-vda.qcow2" });
        Assert.StartsWith("json:", spec);
        JsonNode top = JsonNode.Parse(spec["json:".Length..])!;
        Assert.Equal("/b/02-vda.qcow2", (string?)top["file"]!["filename"]);
        Assert.Equal("/b/01-vda.qcow2", (string?)top["backing"]!["file"]!["filename"]);
        JsonNode bottom = top["backing"]!["backing"]!;
        Assert.Equal("/b/00-vda.qcow2", (string?)bottom["file"]!["filename"]);
        Assert.True(bottom.AsObject().ContainsKey("backing"));
        Assert.Null(bottom["backing"]);
    }

    [Fact]
    public void A_restore_plan_names_volumes_after_the_vm_and_refuses_what_exists()
    {
        BackupManifest m = Manifest(1);
        var none = new HashSet<string>();
        RestorePlan p = RestorePlanner.Plan("/b", m, "web1-copy", "images", null, null, new HashSet<string> { "web1" }, none, _ => true);
        Assert.True(p.AsCopy);
        Assert.Equal("web1-copy-vda.qcow2", p.Disks.Single().VolumeName);
        Assert.Equal(new[] { "/b/00-vda.qcow2", "/b/01-vda.qcow2" }, p.Disks.Single().Paths);
        Assert.Equal("/b/01-definition.xml", p.DefinitionPath);

        RestorePlan same = RestorePlanner.Plan("/b", m, null, "images", null, null, none, none, _ => true);
        Assert.False(same.AsCopy);
        Assert.Equal("web1", same.VmName);

        string Refused(Func<RestorePlan> f) => Assert.Throws<BackupException>(() => f()).ErrorId;
        Assert.Equal("VMExists", Refused(() => RestorePlanner.Plan("/b", m, null, "images", null, null, new HashSet<string> { "web1" }, none, _ => true)));
        Assert.Equal("StorageVolumeExists", Refused(() => RestorePlanner.Plan("/b", m, "c", "images", null, null, none, new HashSet<string> { "c-vda.qcow2" }, _ => true)));
        Assert.Equal("BackupFileMissing", Refused(() => RestorePlanner.Plan("/b", m, "c", "images", null, null, none, none, f => !f.EndsWith("01-vda.qcow2"))));
        Assert.Equal("BackupFileMissing", Refused(() => RestorePlanner.Plan("/b", m, "c", "images", null, null, none, none, f => !f.EndsWith(".xml"))));
    }

    [Fact]
    public void The_default_pool_is_the_one_that_held_the_disks_then_default()
    {
        BackupManifest m = Manifest(0);
        m.Chain[0].Disks[0].SourcePath = "/var/lib/libvirt/images/web1.qcow2";
        Assert.Equal("images", RestorePlanner.DefaultPool(m, new[] { ("default", (string?)"/srv"), ("images", "/var/lib/libvirt/images/") }));
        Assert.Equal("default", RestorePlanner.DefaultPool(m, new[] { ("default", (string?)"/srv") }));
        Assert.Null(RestorePlanner.DefaultPool(m, new[] { ("other", (string?)"/srv") }));
    }

    [Fact]
    public void Job_statistics_read_the_disk_counters_and_the_outcome()
    {
        var running = BackupJobStats.From(BackupJobStats.Unbounded, new Dictionary<string, object> { ["disk_total"] = 100UL, ["disk_processed"] = 40UL });
        Assert.True(running.Running);
        Assert.Equal((100UL, 40UL), (running.Total, running.Processed));
        var old = BackupJobStats.From(BackupJobStats.Bounded, new Dictionary<string, object> { ["data_total"] = 10UL, ["data_processed"] = 12UL });
        Assert.Equal(10UL, old.Processed);
        var failed = BackupJobStats.From(BackupJobStats.Failed, new Dictionary<string, object> { ["errmsg"] = "No space left on device", ["success"] = false });
        Assert.False(failed.Succeeded);
        Assert.Equal("No space left on device", failed.ErrorMessage);
        Assert.True(BackupJobStats.From(BackupJobStats.Completed, new Dictionary<string, object>()).Succeeded);
        Assert.False(BackupJobStats.From(BackupJobStats.Completed, new Dictionary<string, object> { ["success"] = false }).Succeeded);
    }
}

using System.Security.Cryptography;
using System.Xml.Linq;
using KvmPS.Engine.Backups;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Storage;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>Whole-VM export and import: the manifest, the sparse copy, the import plan's refusals, and both on a private test-driver host.</summary>
public sealed class VmExportImportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kvmps-export-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static VmExportManifest Manifest(string name = "web1", Guid? uuid = null, bool nvram = false) => new()
    {
        VmName = name,
        VmUuid = uuid ?? Guid.Parse("11111111-2222-3333-4444-555555555555"),
        SourceUri = "qemu:///system",
        Definition = name + ".xml",
        DefinitionSha256 = new string('0', 64),
        Disks =
        {
            new VmExportFile { Target = "vda", File = "vda.qcow2", Format = "qcow2", FileSizeBytes = 10, Sha256 = new string('a', 64), SourcePool = "images" },
            new VmExportFile { Target = "vdb", File = "vdb.img", Format = "raw", FileSizeBytes = 20, Sha256 = new string('b', 64), SourcePool = "images" },
        },
        Nvram = nvram ? new VmExportFile { Target = "nvram", File = "nvram.fd", FileSizeBytes = 4, SourcePath = "/var/lib/libvirt/qemu/nvram/web1_VARS.fd" } : null,
    };

    private static VmImportHost Host(bool local = true, string[]? vms = null, Guid[]? uuids = null, string[]? volumes = null) =>
        new(local, new HashSet<string>(vms ?? Array.Empty<string>()), new HashSet<Guid>(uuids ?? Array.Empty<Guid>()), new HashSet<string>(volumes ?? Array.Empty<string>()));

    // Every file the manifest names exists with the length it says; the definition of any length.
    private static long? Lengths(string path) => Path.GetFileName(path) switch
    {
        "vda.qcow2" => 10, "vdb.img" => 20, "nvram.fd" => 4, "web1.xml" or "copy.xml" => 100, _ => null,
    };

    private static VmRequestException Refused(Action plan) => Assert.Throws<VmRequestException>(plan);

    [Fact]
    public void The_manifest_survives_a_round_trip_and_lists_every_file()
    {
        VmExportManifest back = VmExportManifest.FromJson(Manifest(nvram: true).ToJson());
        Assert.Equal("web1", back.VmName);
        Assert.Equal(new[] { "web1.xml", "vda.qcow2", "vdb.img", "nvram.fd" }, back.Files().Select(f => f.File));
        Assert.Equal(new ulong?[] { null, 10, 20, 4 }, back.Files().Select(f => f.Length));
        Assert.Equal("qcow2", back.Disks[0].Format);
    }

    [Theory]
    [InlineData("{ nope", "not valid JSON")]
    [InlineData("{\"vmName\": \"a\", \"chain\": []}", "Restore-KvmBackup")]
    [InlineData("{\"kind\": \"Other\", \"vmName\": \"a\", \"definition\": \"a.xml\"}", "kind 'Other'")]
    [InlineData("{\"kind\": \"KvmPS.VMExport\", \"formatVersion\": 9, \"vmName\": \"a\", \"definition\": \"a.xml\"}", "format version 9")]
    public void A_manifest_that_is_not_a_readable_export_is_refused(string json, string says) =>
        Assert.Contains(says, Assert.Throws<InvalidDataException>(() => VmExportManifest.FromJson(json)).Message);

    [Fact]
    public void The_sparse_copy_hashes_every_byte_and_leaves_zero_chunks_as_holes()
    {
        int chunk = VolumeDownloader.ChunkSize;
        var data = new byte[chunk * 4 + 100];
        new Random(7).NextBytes(data.AsSpan(0, chunk));
        data[chunk * 3 + 5] = 1;
        string path = Path.Combine(_dir, "sparse.img");
        var seen = new List<ulong>();
        using (var file = new FileStream(path, FileMode.CreateNew))
        {
            string sha = VolumeDownloader.CopySparse(new MemoryStream(data), file, seen.Add, CancellationToken.None);
            Assert.Equal(Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant(), sha);
        }
        Assert.Equal(data, File.ReadAllBytes(path));
        Assert.Equal((ulong)data.Length, seen[^1]);
        // A trailing hole too: the length comes from SetLength.
        var zeros = new byte[chunk * 2];
        string tail = Path.Combine(_dir, "zeros.img");
        using (var file = new FileStream(tail, FileMode.CreateNew))
        {
            VolumeDownloader.CopySparse(new MemoryStream(zeros), file, null, CancellationToken.None);
        }
        Assert.Equal(zeros.Length, new FileInfo(tail).Length);
    }

    [Theory]
    [InlineData(KvmVMState.ShutOff, false, true)]
    [InlineData(KvmVMState.Paused, false, true)]
    [InlineData(KvmVMState.Running, false, false)]
    [InlineData(KvmVMState.Running, true, true)]
    [InlineData(KvmVMState.PMSuspended, true, false)]
    public void Only_disks_at_rest_are_exported(KvmVMState state, bool pause, bool ok) =>
        Assert.Equal(ok, VmExporter.StateRefusal("web1", state, pause) is null);

    [Theory]
    [InlineData("vda", "qcow2", "vda.qcow2")]
    [InlineData("sdb", "raw", "sdb.img")]
    [InlineData("../x", "raw", "___x.img")]
    public void Each_disk_becomes_a_file_named_after_its_target(string target, string format, string file) =>
        Assert.Equal(file, VmExporter.FileFor(target, format));

    [Fact]
    public void A_copy_gets_free_volume_names_in_the_pool_and_keeps_the_identity_unless_asked()
    {
        var plan = VmImportPlanner.Plan(new VmImportRequest(_dir, true, false, null, "images"), Manifest(), Host(volumes: new[] { "web1-vda.qcow2" }), Lengths);
        Assert.Equal(new[] { "web1-vda-2.qcow2", "web1-vdb.img" }, plan.Disks.Select(d => d.VolumeName));
        Assert.False(plan.NewIdentity);
        Assert.Equal("images", plan.Pool);
        Assert.Equal(Path.Combine(_dir, "vda.qcow2"), plan.Disks[0].FilePath);
    }

    [Fact]
    public void In_place_uses_the_export_files_and_makes_no_volume()
    {
        var plan = VmImportPlanner.Plan(new VmImportRequest(_dir, false, false, null, null), Manifest(nvram: true), Host(), Lengths);
        Assert.All(plan.Disks, d => Assert.Null(d.VolumeName));
        Assert.Null(plan.Pool);
        Assert.Equal(Path.Combine(_dir, "nvram.fd"), plan.NvramTo);
        Assert.Contains("where they are", plan.Describe());
    }

    [Fact]
    public void The_refusals_come_before_anything_is_made()
    {
        var m = Manifest();
        Assert.Equal("PoolNeedsCopy", Refused(() => VmImportPlanner.Plan(new VmImportRequest(_dir, false, false, null, "images"), m, Host(), Lengths)).ErrorId);
        var remote = Refused(() => VmImportPlanner.Plan(new VmImportRequest(_dir, false, false, null, null), m, Host(local: false), Lengths));
        Assert.Equal(("InPlaceNeedsLocalHost", KvmErrorKind.NotSupported), (remote.ErrorId, remote.Kind));
        var missing = Refused(() => VmImportPlanner.Plan(new VmImportRequest(_dir, true, false, null, "images"), m, Host(), p => p.EndsWith("vdb.img") ? null : Lengths(p)));
        Assert.Equal(("ExportFileMissing", KvmErrorKind.NotFound), (missing.ErrorId, missing.Kind));
        var changed = Refused(() => VmImportPlanner.Plan(new VmImportRequest(_dir, true, false, null, "images"), m, Host(), p => p.EndsWith("vda.qcow2") ? 11 : Lengths(p)));
        Assert.Equal("ExportFileChanged", changed.ErrorId);
        var name = Refused(() => VmImportPlanner.Plan(new VmImportRequest(_dir, true, true, null, "images"), m, Host(vms: new[] { "web1" }), Lengths));
        Assert.Equal(("VMExists", KvmErrorKind.AlreadyExists), (name.ErrorId, name.Kind));
        Assert.Contains("-NewName", name.Message);
        var uuid = Refused(() => VmImportPlanner.Plan(new VmImportRequest(_dir, true, false, "copy", "images"), m, Host(uuids: new[] { m.VmUuid }), Lengths));
        Assert.Equal(("VMUuidInUse", KvmErrorKind.AlreadyExists), (uuid.ErrorId, uuid.Kind));
        Assert.Equal("InvalidName", Refused(() => VmImportPlanner.Plan(new VmImportRequest(_dir, true, true, " bad", "images"), m, Host(), Lengths)).ErrorId);
        m.Disks[1].File = "../../etc/passwd";
        Assert.Equal("InvalidExportManifest", Refused(() => VmImportPlanner.Plan(new VmImportRequest(_dir, true, true, null, "images"), m, Host(), _ => 20)).ErrorId);
    }

    [Fact]
    public void A_new_name_and_id_lift_the_refusals_and_move_the_uefi_variables()
    {
        var m = Manifest(nvram: true);
        var plan = VmImportPlanner.Plan(new VmImportRequest(_dir, true, true, "copy", "images"), m, Host(vms: new[] { "web1" }, uuids: new[] { m.VmUuid }), Lengths);
        Assert.Equal("copy", plan.VmName);
        Assert.True(plan.NewIdentity);
        Assert.Equal("/var/lib/libvirt/qemu/nvram/copy_VARS.fd", plan.NvramTo);
        Assert.Equal(new[] { "copy-vda.qcow2", "copy-vdb.img" }, plan.Disks.Select(d => d.VolumeName));
        var taken = Refused(() => VmImportPlanner.Plan(new VmImportRequest(_dir, true, true, "copy", "images"), m, Host(), p => p.EndsWith("copy_VARS.fd") ? 4 : Lengths(p)));
        Assert.Equal("NvramExists", taken.ErrorId);
        var remote = VmImportPlanner.Plan(new VmImportRequest(_dir, true, true, "copy", "images"), m, Host(local: false), Lengths);
        Assert.Null(remote.NvramTo);
        Assert.Contains(remote.Notes, n => n.Contains("UEFI"));
    }

    [Fact]
    public void Imported_disks_point_at_their_files_in_the_format_the_manifest_names()
    {
        var domain = XElement.Parse("<domain><name>a</name><devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
            + "<source file='/old/a.qcow2'/><backingStore/><target dev='vdb'/></disk></devices></domain>");
        RestoreDefinition.PointDisks(domain, new Dictionary<string, string> { ["vdb"] = "/new/b.img" }, _ => "raw");
        XElement disk = domain.Descendants("disk").Single();
        Assert.Equal("raw", (string?)disk.Element("driver")?.Attribute("type"));
        Assert.Equal("/new/b.img", (string?)disk.Element("source")?.Attribute("file"));
        Assert.Null(disk.Element("backingStore"));
    }

    // A private test-driver host with a pool over a temporary directory and one shut-off VM on a qcow2 volume of it.
    private string HostFile()
    {
        string pool = Directory.CreateDirectory(Path.Combine(_dir, "pool")).FullName;
        string file = Path.Combine(_dir, "host.xml");
        File.WriteAllText(file, $"""
            <node>
              <pool type='dir'><name>images</name><uuid>5a0c2a6e-0b56-4f5e-9a55-0d5c6c1f0a01</uuid>
                <capacity unit='GiB'>10</capacity><allocation>0</allocation><available unit='GiB'>10</available>
                <target><path>{pool}</path></target>
                <volume type='file'><name>src.qcow2</name><capacity unit='MiB'>64</capacity><allocation>0</allocation><target><format type='qcow2'/></target></volume>
              </pool>
              <domain type='test'><name>src</name><uuid>6b8f3f3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b</uuid><memory>262144</memory><vcpu>1</vcpu><os><type>hvm</type></os>
                <devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{pool}/src.qcow2'/><target dev='vda' bus='virtio'/></disk>
                <interface type='network'><mac address='52:54:00:10:20:30'/><source network='default'/></interface></devices></domain>
            </node>
            """);
        return "test://" + file;
    }

    [Fact]
    public void An_export_plan_on_the_test_driver_lists_the_disk_and_refuses_what_it_must()
    {
        using var conn = LibvirtConnection.Open(HostFile());
        using var h = conn.LookupDomain("src");
        if (DomainService.IsActive(h))
        {
            DomainService.Destroy(h);
        }
        VmExportPlan plan = VmExporter.Plan(conn, h, _dir, pause: false);
        Assert.Equal(Path.Combine(_dir, "src"), plan.Directory);
        VmExportPlannedDisk d = Assert.Single(plan.Disks);
        Assert.Equal(("vda", "qcow2", "images", "vda.qcow2"), (d.Target, d.Format, d.Pool, d.File));
        Assert.Equal("DirectoryNotFound", Refused(() => VmExporter.Plan(conn, h, Path.Combine(_dir, "none"), false)).ErrorId);
        Directory.CreateDirectory(plan.Directory);
        Assert.Equal("ExportExists", Refused(() => VmExporter.Plan(conn, h, _dir, false)).ErrorId);
        Directory.Delete(plan.Directory);
        DomainService.Start(h);
        Assert.Equal("SourceRunning", Refused(() => VmExporter.Plan(conn, h, _dir, false)).ErrorId);
        Assert.True(VmExporter.Plan(conn, h, _dir, true).Pause);
    }

    [Fact]
    public void A_failed_export_leaves_no_directory()
    {
        using var conn = LibvirtConnection.Open(HostFile());
        using var h = conn.LookupDomain("src");
        KvmVMState before = DomainService.GetState(h).State;
        VmExportPlan plan = VmExporter.Plan(conn, h, _dir, pause: true);
        // The test driver has no volume download: the export fails at the first disk.
        Assert.Throws<LibvirtException>(() => VmExporter.Run(conn, h, plan, false, _ => { }, _ => { }, CancellationToken.None));
        Assert.False(Directory.Exists(plan.Directory));
        Assert.Equal(before, DomainService.GetState(h).State);
    }

    private string WriteExport(string name)
    {
        string dir = Directory.CreateDirectory(Path.Combine(_dir, "export-" + name)).FullName;
        string xml = $"<domain type='test'><name>{name}</name><uuid>7c9a4a4f-2d3e-4f60-9bac-1d2e3f4a5b6c</uuid><memory>262144</memory><vcpu>1</vcpu><os><type>hvm</type></os>"
            + "<devices><disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/gone/d.img'/><target dev='vda' bus='virtio'/></disk>"
            + "<interface type='network'><mac address='52:54:00:10:20:31'/><source network='default'/></interface></devices></domain>";
        File.WriteAllText(Path.Combine(dir, name + ".xml"), xml);
        File.WriteAllBytes(Path.Combine(dir, "vda.img"), new byte[4096]);
        var m = new VmExportManifest
        {
            VmName = name, VmUuid = Guid.Parse("7c9a4a4f-2d3e-4f60-9bac-1d2e3f4a5b6c"), Definition = name + ".xml",
            DefinitionSha256 = BackupRunner.Sha256Of(Path.Combine(dir, name + ".xml"), CancellationToken.None),
            Disks = { new VmExportFile { Target = "vda", File = "vda.img", Format = "raw", FileSizeBytes = 4096, VirtualSizeBytes = 4096, Sha256 = BackupRunner.Sha256Of(Path.Combine(dir, "vda.img"), CancellationToken.None) } },
        };
        m.Save(dir);
        return dir;
    }

    [Fact]
    public void An_import_in_place_defines_the_vm_on_the_export_files()
    {
        using var conn = LibvirtConnection.Open(HostFile());
        string dir = WriteExport("inplace");
        VmImportPlan plan = VmImporter.Check(conn, new VmImportRequest(dir, false, false, null, null));
        KvmVM vm = VmImporter.Run(conn, plan, _ => { }, _ => { }, _ => { }, CancellationToken.None);
        Assert.Equal("inplace", vm.Name);
        Assert.Equal(Guid.Parse("7c9a4a4f-2d3e-4f60-9bac-1d2e3f4a5b6c"), vm.Uuid);
        using var h = conn.LookupDomain("inplace");
        Assert.Contains($"file='{Path.Combine(dir, "vda.img")}'", LibvirtConnection.GetXml(h).Replace('"', '\''));
        // The same export again: the name and UUID are in use now.
        Assert.Equal("VMExists", Refused(() => VmImporter.Check(conn, new VmImportRequest(dir, false, false, null, null))).ErrorId);
        Assert.Equal("VMUuidInUse", Refused(() => VmImporter.Check(conn, new VmImportRequest(dir, false, false, "other", null))).ErrorId);
    }

    [Fact]
    public void A_changed_file_is_refused_before_anything_is_made_and_a_failed_copy_leaves_no_volume()
    {
        using var conn = LibvirtConnection.Open(HostFile());
        string dir = WriteExport("changed");
        using (var f = new FileStream(Path.Combine(dir, "vda.img"), FileMode.Open))
        {
            f.WriteByte(1);
        }
        VmImportPlan plan = VmImporter.Check(conn, new VmImportRequest(dir, true, true, null, "images"));
        Assert.Equal("ExportFileCorrupt", Refused(() => VmImporter.Run(conn, plan, _ => { }, _ => { }, _ => { }, CancellationToken.None)).ErrorId);
        File.WriteAllBytes(Path.Combine(dir, "vda.img"), new byte[4096]);
        using StoragePool pool = StoragePool.TryLookup(conn, "images")!;
        int before = pool.ListVolumes().Count;
        // The test driver has no volume upload: the copy fails after the volume was made, which goes again.
        Assert.Throws<LibvirtException>(() => VmImporter.Run(conn, plan, _ => { }, _ => { }, _ => { }, CancellationToken.None));
        Assert.Equal(before, pool.ListVolumes().Count);
        Assert.Null(DomainService.TryLookup(conn, "changed"));
    }
}

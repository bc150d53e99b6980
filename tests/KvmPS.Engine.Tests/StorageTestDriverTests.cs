using KvmPS.Engine.Storage;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>The storage engine against libvirt's in-process test driver (its 'default-pool' is a running dir pool).</summary>
public class StorageTestDriverTests
{
    private static StoragePoolDefinition DirPool(string name, string path) =>
        StoragePoolXml.Plan(new StoragePoolDefinition { Name = name, Path = path });

    [Fact]
    public void Provisioner_defines_builds_starts_and_sets_autostart()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        var log = new List<string>();
        using StoragePool pool = StoragePoolProvisioner.Create(conn, DirPool("kvmps-t4s-x1", "/kvmps-t4s/x1"), start: true, autostart: true, log.Add);
        KvmStoragePool p = pool.Describe();
        Assert.Equal("kvmps-t4s-x1", p.Name);
        Assert.Equal(KvmStoragePoolType.Dir, p.Type);
        Assert.Equal("/kvmps-t4s/x1", p.Path);
        Assert.Equal(KvmStoragePoolState.Running, p.State);
        Assert.True(p.Autostart);
        Assert.True(p.Persistent);
        Assert.NotEqual(Guid.Empty, p.Uuid);
        Assert.Equal("test:///default", p.Uri);
        Assert.Equal(4, log.Count);
    }

    [Fact]
    public void Provisioner_leaves_a_pool_stopped_unless_asked_to_start_it()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        using StoragePool pool = StoragePoolProvisioner.Create(conn, DirPool("kvmps-t4s-x2", "/kvmps-t4s/x2"), start: false, autostart: false);
        Assert.False(pool.IsActive);
        Assert.False(pool.Autostart);
        Assert.Equal(KvmStoragePoolState.Inactive, pool.Describe().State);
    }

    [Fact]
    public void Missing_pool_is_null_not_an_exception()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        Assert.Null(StoragePool.TryLookup(conn, "kvmps-t4s-none"));
        using StoragePool pool = StoragePool.TryLookup(conn, "default-pool")!;
        Assert.Null(pool.TryLookupVolume("kvmps-t4s-none"));
    }

    [Fact]
    public void Volumes_are_created_read_back_and_found_by_path()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        using StoragePool pool = StoragePool.TryLookup(conn, "default-pool")!;
        var planned = VolumePlanner.Plan(new VolumeRequest { Name = "kvmps-t4s-a.qcow2", SizeBytes = 1UL << 30 }, KvmStoragePoolType.Dir, null);
        using (StorageVolume vol = pool.CreateVolume(StorageVolumeXml.Build(planned)))
        {
            KvmVolume v = vol.Describe();
            Assert.Equal("kvmps-t4s-a.qcow2", v.Name);
            Assert.Equal("default-pool", v.Pool);
            Assert.Equal("/default-pool/kvmps-t4s-a.qcow2", v.Path);
            Assert.Equal("qcow2", v.Format);
            Assert.Equal(1UL << 30, v.CapacityBytes);
        }
        using (StorageVolume? byPath = StorageVolume.TryLookupByPath(conn, "/default-pool/kvmps-t4s-a.qcow2"))
        {
            Assert.NotNull(byPath);
            Assert.Equal("default-pool", byPath!.PoolName);
        }
        Assert.Null(StorageVolume.TryLookupByPath(conn, "/default-pool/kvmps-t4s-none"));
        ImageInfo backing = VolumePlanner.ResolveBacking(conn, "/default-pool/kvmps-t4s-a.qcow2", null, null);
        Assert.Equal(new ImageInfo("qcow2", 1UL << 30, null, null), backing);
        Assert.Equal("raw", VolumePlanner.ResolveBacking(conn, "/default-pool/kvmps-t4s-a.qcow2", "raw", null).Format);
        Assert.Contains("does not exist", Assert.Throws<ArgumentException>(() =>
            VolumePlanner.ResolveBacking(conn, "/kvmps-t4s/no/such/file", null, null)).Message);
    }

    [Fact]
    public void A_failed_upload_removes_the_volume_it_created()
    {
        // The test driver has no virStorageVolUpload: the upload fails after the volume exists.
        using var conn = LibvirtConnection.Open("test:///default");
        using StoragePool pool = StoragePool.TryLookup(conn, "default-pool")!;
        var planned = VolumeImporter.Plan("kvmps-t4s-up.img", 4096, KvmStoragePoolType.Dir);
        var log = new List<string>();
        var ex = Assert.Throws<LibvirtException>(() =>
            VolumeImporter.Import(pool, planned, new MemoryStream(new byte[4096]), null, default, log.Add));
        Assert.Equal(LibvirtErrorCode.NoSupport, ex.Code);
        Assert.Equal("virStorageVolUpload", ex.Function);
        Assert.Null(pool.TryLookupVolume("kvmps-t4s-up.img"));
        Assert.Contains(log, l => l.StartsWith("Removed volume"));
    }
}

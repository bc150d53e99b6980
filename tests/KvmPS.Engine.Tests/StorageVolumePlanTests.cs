using System.Buffers.Binary;
using System.Text;
using KvmPS.Engine.Storage;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>Volume requests, image headers and import checks, without libvirt.</summary>
public sealed class StorageVolumePlanTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kvmps-t4s-xunit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static VolumeDefinition Plan(VolumeRequest r, KvmStoragePoolType type = KvmStoragePoolType.Dir, ImageInfo? backing = null) =>
        VolumePlanner.Plan(r, type, backing);

    [Fact]
    public void New_volumes_are_thin_qcow2_in_directory_pools()
    {
        VolumeDefinition v = Plan(new VolumeRequest { Name = "a.qcow2", SizeBytes = 1UL << 30 });
        Assert.Equal("qcow2", v.Format);
        Assert.Equal(1UL << 30, v.CapacityBytes);
        Assert.Equal(0UL, v.AllocationBytes);
        Assert.Null(v.BackingPath);
        Assert.Equal("raw", Plan(new VolumeRequest { Name = "b", SizeBytes = 1, Format = KvmVolumeFormat.Raw }).Format);
    }

    [Fact]
    public void Block_pools_hold_raw_volumes_without_a_format()
    {
        VolumeDefinition v = Plan(new VolumeRequest { Name = "lv", SizeBytes = 1 << 20 }, KvmStoragePoolType.Logical);
        Assert.Null(v.Format);
        Assert.Contains("raw volumes only", Assert.Throws<ArgumentException>(() =>
            Plan(new VolumeRequest { Name = "lv", SizeBytes = 1 << 20, Format = KvmVolumeFormat.Qcow2 }, KvmStoragePoolType.Logical)).Message);
    }

    [Theory]
    [InlineData("a/b", "'a/b' is not a valid volume name: it must be non-empty, without '/'")]
    [InlineData("", "'' is not a valid volume name")]
    [InlineData("\tweb", "'\\tweb' is not a valid volume name")]
    [InlineData(" web", "' web' is not a valid volume name")]
    [InlineData("..", "'..' is not a valid volume name: it must not be '.' or '..'")]
    public void Bad_volume_names_are_refused(string name, string expected)
    {
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => Plan(new VolumeRequest { Name = name, SizeBytes = 1 })).Message);
    }

    [Fact]
    public void A_size_is_needed_and_must_be_more_than_zero()
    {
        Assert.Contains("-Size is required", Assert.Throws<ArgumentException>(() => Plan(new VolumeRequest { Name = "a" })).Message);
        Assert.Contains("more than 0", Assert.Throws<ArgumentException>(() => Plan(new VolumeRequest { Name = "a", SizeBytes = 0 })).Message);
    }

    [Fact]
    public void Overlay_takes_the_backing_size_and_format()
    {
        var backing = new ImageInfo("raw", 10UL << 30, null);
        VolumeDefinition v = Plan(new VolumeRequest { Name = "o", BackingPath = "/img/base.raw" }, backing: backing);
        Assert.Equal(10UL << 30, v.CapacityBytes);
        Assert.Equal("qcow2", v.Format);
        Assert.Equal("/img/base.raw", v.BackingPath);
        Assert.Equal("raw", v.BackingFormat);
        VolumeDefinition bigger = Plan(new VolumeRequest { Name = "o", BackingPath = "/img/base.raw", SizeBytes = 20UL << 30, BackingFormat = "qcow2" }, backing: backing);
        Assert.Equal(20UL << 30, bigger.CapacityBytes);
        Assert.Equal("qcow2", bigger.BackingFormat);
    }

    [Fact]
    public void Overlay_must_be_qcow2_absolute_and_not_smaller_than_its_backing()
    {
        var backing = new ImageInfo("qcow2", 10UL << 30, null);
        Assert.Contains("must be qcow2", Assert.Throws<ArgumentException>(() =>
            Plan(new VolumeRequest { Name = "o", BackingPath = "/b", Format = KvmVolumeFormat.Raw }, backing: backing)).Message);
        Assert.Contains("smaller than the backing image", Assert.Throws<ArgumentException>(() =>
            Plan(new VolumeRequest { Name = "o", BackingPath = "/b", SizeBytes = 1UL << 30 }, backing: backing)).Message);
        Assert.Contains("must be absolute", Assert.Throws<ArgumentException>(() =>
            Plan(new VolumeRequest { Name = "o", BackingPath = "b.qcow2" }, backing: backing)).Message);
    }

    [Fact]
    public void Volume_differences_round_to_whole_KiB_as_qemu_img_does()
    {
        var wanted = Plan(new VolumeRequest { Name = "a", SizeBytes = 1000 });
        Assert.Empty(VolumePlanner.Differences(wanted with { CapacityBytes = 1024 }, wanted));
        Assert.Single(VolumePlanner.Differences(wanted with { CapacityBytes = 2048 }, wanted));
        Assert.Single(VolumePlanner.Differences(wanted with { Format = "raw" }, wanted));
        Assert.Single(VolumePlanner.Differences(wanted with { BackingPath = "/b" }, wanted));
    }

    [Theory]
    [InlineData("qemu:///system", true)]
    [InlineData("test:///default", true)]
    [InlineData("", true)]
    [InlineData("qemu+ssh://root@kvm1/system", false)]
    [InlineData("qemu+tcp://10.0.0.5/system", false)]
    public void Local_uris_have_no_host(string uri, bool local)
    {
        Assert.Equal(local, LibvirtConnection.IsLocalUri(uri));
    }

    /// <summary>A qcow2 header as QEMU writes it: magic, version, backing name offset/size, virtual size.</summary>
    private string WriteQcow2(string name, ulong virtualSize, string? backing, uint version = 3)
    {
        var bytes = new byte[4096];
        "QFI"u8.CopyTo(bytes);
        bytes[3] = 0xFB;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), version);
        if (backing is not null)
        {
            byte[] b = Encoding.UTF8.GetBytes(backing);
            BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(8), 512);
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(16), (uint)b.Length);
            b.CopyTo(bytes, 512);
        }
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(24), virtualSize);
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Qcow2_header_gives_format_virtual_size_and_backing_file()
    {
        ImageInfo plain = ImageProbe.ReadHeader(WriteQcow2("a.qcow2", 20UL << 30, null));
        Assert.Equal(new ImageInfo("qcow2", 20UL << 30, null), plain);
        ImageInfo overlay = ImageProbe.ReadHeader(WriteQcow2("o.qcow2", 1 << 20, "/srv/base.img"));
        Assert.Equal("/srv/base.img", overlay.BackingFile);
    }

    [Fact]
    public void Anything_else_is_raw_of_its_length()
    {
        string path = Path.Combine(_dir, "r.img");
        File.WriteAllBytes(path, new byte[] { 1, 2, 3 });
        Assert.Equal(new ImageInfo("raw", 3, null), ImageProbe.ReadHeader(path));
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes("QFI\u00fb is not the magic when written as UTF-8 text........"));
        Assert.Equal("raw", ImageProbe.ReadHeader(path).Format);
    }

    [Fact]
    public void Reads_qemu_img_info_json()
    {
        const string json = """
            {
                "backing-filename-format": "qcow2",
                "virtual-size": 67108864,
                "filename": "/srv/pool/over.qcow2",
                "cluster-size": 65536,
                "format": "qcow2",
                "actual-size": 200704,
                "full-backing-filename": "/srv/pool/base.qcow2",
                "backing-filename": "base.qcow2",
                "dirty-flag": false
            }
            """;
        Assert.Equal(new ImageInfo("qcow2", 67108864, "/srv/pool/base.qcow2", "qcow2"), ImageProbe.ParseQemuImgJson(json));
        Assert.Equal(new ImageInfo("raw", 5, null), ImageProbe.ParseQemuImgJson("""{"virtual-size": 5, "format": "raw"}"""));
    }

    [Fact]
    public void Import_refuses_overlays_empty_files_and_false_qcow2_claims()
    {
        string overlay = WriteQcow2("o.qcow2", 1 << 20, "/srv/base.img");
        Assert.Contains("Flatten it first", Assert.Throws<ArgumentException>(() => VolumeImporter.Inspect(overlay, null)).Message);
        // Declared raw, the bytes are just bytes: no backing file is ever opened.
        Assert.Equal("raw", VolumeImporter.Inspect(overlay, KvmVolumeFormat.Raw).Format);

        string empty = Path.Combine(_dir, "empty.img");
        File.WriteAllBytes(empty, Array.Empty<byte>());
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => VolumeImporter.Inspect(empty, null)).Message);

        string raw = Path.Combine(_dir, "r.img");
        File.WriteAllBytes(raw, new byte[512]);
        Assert.Contains("not a qcow2 image", Assert.Throws<ArgumentException>(() => VolumeImporter.Inspect(raw, KvmVolumeFormat.Qcow2)).Message);
        Assert.Equal("qcow2", VolumeImporter.Inspect(WriteQcow2("a.qcow2", 1 << 20, null), null).Format);
    }

    [Fact]
    public void Import_target_is_raw_and_exactly_as_long_as_the_file()
    {
        VolumeDefinition v = VolumeImporter.Plan("disk.qcow2", 196616, KvmStoragePoolType.Dir);
        Assert.Equal(196616UL, v.CapacityBytes);
        Assert.Equal(0UL, v.AllocationBytes);
        Assert.Equal("raw", v.Format);
        Assert.Null(VolumeImporter.Plan("lv", 4096, KvmStoragePoolType.Logical).Format);
    }
}

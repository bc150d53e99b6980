using KvmPS.Engine.Domains;
using Xunit;

namespace KvmPS.Engine.Tests.Domains;

/// <summary>New-KvmVM -Disk: virt-install's --disk text and hashtables, and what is refused before anything is made.</summary>
public sealed class VmDiskSpecTextTests
{
    [Fact]
    public void Reads_virt_install_text_with_every_key()
    {
        VmDiskRequest d = VmDiskSpecText.Parse("vm", "size=20,pool=images,bus=sata,cache=none,io=native,discard=unmap,format=raw");
        Assert.Equal(20UL << 30, d.SizeBytes);
        Assert.Equal(("images", "sata", "none", "native", "unmap", "raw", "disk"), (d.Pool, d.Bus, d.Cache, d.IO, d.Discard, d.Format, d.Device));
        Assert.Null(d.Path);
    }

    [Theory]
    [InlineData("size=20", 20UL << 30)]
    [InlineData("size=1.5", 3UL << 29)]
    [InlineData("size=512M", 512UL << 20)]
    [InlineData("size=20GB", 20UL << 30)]
    [InlineData("size=2GiB", 2UL << 30)]
    [InlineData("size=1T", 1UL << 40)]
    public void A_bare_size_is_GiB_as_in_virt_install_units_read_too(string text, ulong bytes) =>
        Assert.Equal(bytes, VmDiskSpecText.Parse("vm", text).SizeBytes);

    [Fact]
    public void A_first_item_without_a_key_is_the_path_and_backing_store_reads()
    {
        VmDiskRequest d = VmDiskSpecText.Parse("vm", "/srv/vm/a.qcow2,backing_store=/srv/base.qcow2,readonly=off");
        Assert.Equal(("/srv/vm/a.qcow2", "/srv/base.qcow2", false), (d.Path, d.BackingStore, d.ReadOnly));
        Assert.Equal("cdrom", VmDiskSpecText.Parse("vm", "path=/iso/x.iso,device=cdrom,bus=sata").Device);
    }

    [Fact]
    public void A_hashtable_number_is_bytes_and_keys_are_case_free()
    {
        VmDiskRequest d = VmDiskSpecText.FromPairs("vm", "t", new (string, object?)[] { ("Size", 10L << 30), ("Pool", "images"), ("Bus", "SCSI"), ("Backing-Store", null) }
            .Where(p => p.Item2 is not null));
        Assert.Equal((10UL << 30, "images", "scsi"), (d.SizeBytes, d.Pool, d.Bus));
    }

    [Theory]
    [InlineData("size=20,colour=red", "UnknownDiskOption")]
    [InlineData("size=20,bus=floppy", "InvalidDiskOption")]
    [InlineData("size=20,cache=fast", "InvalidDiskOption")]
    [InlineData("size=20,format=vmdk", "InvalidDiskOption")]
    [InlineData("size=lots", "InvalidDiskSize")]
    [InlineData("size=0", "InvalidDiskSize")]
    [InlineData("size=20,size=30", "InvalidDiskSpec")]
    [InlineData("bus=virtio", "InvalidDiskSpec")]
    [InlineData("pool=images", "InvalidDiskSpec")]
    [InlineData("path=/a.qcow2,pool=images,size=2", "InvalidDiskSpec")]
    [InlineData("size=20,io=native", "InvalidDiskSpec")]
    [InlineData("size=20,io=native,cache=writeback", "InvalidDiskSpec")]
    [InlineData("device=cdrom,size=1", "InvalidDiskSpec")]
    [InlineData("path=/x.iso,device=cdrom,bus=virtio", "InvalidDiskSpec")]
    [InlineData("path=/a.qcow2,format=raw,backing_store=/b.qcow2", "InvalidDiskSpec")]
    [InlineData("size=20,,bus=sata", "InvalidDiskSpec")]
    [InlineData("size=20,pool=", "InvalidDiskSpec")]
    public void Refuses_a_bad_spec_with_a_stable_id_naming_the_vm(string text, string id)
    {
        var e = Assert.Throws<VmRequestException>(() => VmDiskSpecText.Parse("vm", text));
        Assert.Equal((id, KvmErrorKind.InvalidArgument, "vm"), (e.ErrorId, e.Kind, e.Target));
        Assert.Contains(text, e.Message);
    }

    [Fact]
    public void A_tiny_hashtable_size_says_bytes_were_meant()
    {
        var e = Assert.Throws<VmRequestException>(() => VmDiskSpecText.FromPairs("vm", "Size=20", new (string, object?)[] { ("Size", 20) }));
        Assert.Equal("InvalidDiskSize", e.ErrorId);
        Assert.Contains("20GB", e.Message);
    }
}

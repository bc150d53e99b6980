using KvmPS.Engine.Domains;
using KvmPS.Engine.Storage;
using Xunit;

namespace KvmPS.Engine.Tests.Domains;

/// <summary>-Location on a remote host: which volumes of -Pool get the kernel, initrd and ISO, and the refusals.</summary>
public class VmLocationUploadTests
{
    [Fact]
    public void A_tree_gets_a_kernel_and_an_initrd_volume_in_the_pool_directory()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        var up = VmLocationUpload.Plan(conn, "web1", new VmLocation("/t/images/pxeboot/vmlinuz", "/t/images/pxeboot/initrd.img", null), "default-pool");
        Assert.Equal(2, up.Files.Count);
        Assert.Equal("web1-install-vmlinuz", up.Kernel.Volume);
        Assert.Equal("/t/images/pxeboot/vmlinuz", up.Kernel.Source);
        Assert.Equal("/default-pool/web1-install-vmlinuz", up.Kernel.HostPath);
        Assert.Equal("/default-pool/web1-install-initrd.img", up.Initrd!.HostPath);
        Assert.Null(up.Iso);
    }

    [Fact]
    public void An_iso_is_uploaded_too_and_names_that_repeat_are_told_apart()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        var up = VmLocationUpload.Plan(conn, "v", new VmLocation("boot/linux", "other/linux", "/isos/install.iso"), "default-pool");
        Assert.Equal(new[] { "v-install-linux", "v-install-linux.initrd", "v-install-media.iso" }, up.Files.Select(f => f.Volume));
        Assert.Equal("/isos/install.iso", up.Iso!.Source);
        Assert.Equal("boot/linux", up.Kernel.Source);
    }

    [Fact]
    public void Refuses_a_missing_pool_and_a_volume_name_in_use()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        var tree = new VmLocation("/t/vmlinuz", null, null);
        var e = Assert.Throws<VmRequestException>(() => VmLocationUpload.Plan(conn, "v", tree, "no-such-pool"));
        Assert.Equal("PoolNotFound", e.ErrorId);
        string name = "taken-" + Guid.NewGuid().ToString("N")[..8];
        var (path, _) = VmStorage.CreatePoolVolume(conn, "default-pool", $"{name}-install-vmlinuz", 1 << 20, "raw", new PendingVolumes(Path.Combine(Path.GetTempPath(), "kvmps-lu-" + name)));
        try
        {
            Assert.Equal("VolumeExists", Assert.Throws<VmRequestException>(() => VmLocationUpload.Plan(conn, name, tree, "default-pool")).ErrorId);
        }
        finally
        {
            VmStorage.DeletePoolVolumeIfExists(conn, "default-pool", $"{name}-install-vmlinuz");
        }
    }
}

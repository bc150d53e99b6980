using KvmPS.Engine.Domains;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>
/// The OS reader over the system's real osinfo-db, family by family, against what virt-install
/// 4.1's osdict decides for the same OS (the parity suite compares whole definitions).
/// </summary>
public sealed class OsInfoFamiliesTests
{
    private static OsInfoDatabase Db => OsInfoDatabase.Default;

    private static VmOsDefaults Of(string shortId) =>
        VmOsDefaults.Of(Db, Db.Find(shortId) ?? throw new InvalidOperationException($"osinfo-db has no '{shortId}'"));

    [FactNeedsOsInfo]
    public void Driver_files_add_to_the_windows_desktop_entries_instead_of_replacing_them()
    {
        foreach (string id in new[] { "win7", "win8", "win8.1", "win10" })
        {
            OsInfoEntry os = Db.Find(id)!;
            Assert.NotEmpty(os.DerivesFrom);
            Assert.Equal("winnt", os.Family);
            Assert.Contains("http://qemu.org/chipset/x86/q35", Db.DevicesOf(os));
            Assert.Single(Db.Entries, e => e.Id == os.Id);
            Assert.Single(os.ShortIds, s => s == id);
        }
    }

    [FactNeedsOsInfo]
    public void Win11_inherits_from_win10_and_needs_uefi_secure_boot_and_a_tpm()
    {
        OsInfoEntry win11 = Db.Find("win11")!;
        Assert.Contains(Db.Find("win10")!, Db.Lineage(win11, withUpgrades: false));
        Assert.False(Db.SupportsFirmware(win11, "x86_64", "bios"));
        Assert.True(Db.SupportsFirmware(win11, "x86_64", "efi"));
        VmOsDefaults d = Of("win11");
        Assert.True(d.Q35);
        Assert.True(d.RequiresEfi);
        Assert.True(d.RequiresSecureBoot);
        Assert.True(d.RequiresTpm);
    }

    [TheoryNeedsOsInfo]
    [InlineData("win7", false)]
    [InlineData("win8", true)]
    [InlineData("win8.1", true)]
    [InlineData("win10", true)]
    [InlineData("win11", true)]
    [InlineData("win2k16", true)]
    [InlineData("win2k19", true)]
    [InlineData("win2k22", true)]
    public void Windows_gets_q35_sata_e1000e_hyperv_and_localtime(string id, bool usb3)
    {
        VmOsDefaults d = Of(id);
        Assert.True(d.Q35, $"{id}: q35 (PCIe root ports, SATA, e1000e)");
        Assert.False(d.VirtioDisk);
        Assert.False(d.VirtioNet);
        Assert.False(d.VirtioRng);
        Assert.False(d.VirtioSerial);
        Assert.Equal(usb3, d.Usb3);
        Assert.True(d.IsWindows);
        Assert.Equal("localtime", d.ClockOffset);
        Assert.Equal(id == "win11", d.RequiresEfi);
    }

    [TheoryNeedsOsInfo]
    [InlineData("rhel9.0")]
    [InlineData("rhel8.6")]
    [InlineData("centos-stream9")]
    [InlineData("centos7.0")]
    [InlineData("fedora37")]
    [InlineData("debian11")]
    [InlineData("debian10")]
    [InlineData("ubuntu22.04")]
    [InlineData("ubuntu20.04")]
    [InlineData("opensuse15.4")]
    [InlineData("opensusetumbleweed")]
    [InlineData("alpinelinux3.17")]
    [InlineData("archlinux")]
    [InlineData("linux2022")]
    public void Linux_gets_q35_and_virtio_throughout(string id)
    {
        VmOsDefaults d = Of(id);
        Assert.True(d.Q35);
        Assert.True(d.VirtioDisk);
        Assert.True(d.VirtioNet);
        Assert.True(d.VirtioRng);
        Assert.True(d.VirtioSerial);
        Assert.True(d.VirtioBalloon);
        Assert.True(d.Usb3);
        Assert.False(d.IsWindows);
        Assert.Equal("utc", d.ClockOffset);
        Assert.False(d.RequiresEfi);
    }

    [FactNeedsOsInfo]
    public void Virtio_gpu_follows_the_os_devices()
    {
        Assert.True(Of("fedora37").VirtioGpu);
        Assert.True(Of("rhel9.0").VirtioGpu);
        Assert.False(Of("centos7.0").VirtioGpu);
        Assert.False(Of("win10").VirtioGpu);
    }

    [TheoryNeedsOsInfo]
    [InlineData("freebsd13.1")]
    [InlineData("freebsd12.3")]
    public void FreeBSD_gets_i440fx_virtio_disk_and_net_usb2_and_no_rng_or_agent(string id)
    {
        VmOsDefaults d = Of(id);
        Assert.False(d.Q35);
        Assert.True(d.VirtioDisk);
        Assert.True(d.VirtioNet);
        Assert.False(d.Usb3);
        Assert.False(d.VirtioRng);
        Assert.False(d.VirtioSerial);
    }

    [FactNeedsOsInfo]
    public void Windows_xp_gets_i440fx()
    {
        VmOsDefaults d = Of("winxp");
        Assert.False(d.Q35);
        Assert.False(d.Usb3);
        Assert.True(d.IsWindows);
    }

    [FactNeedsOsInfo]
    public void The_rhel6_lineage_has_the_agent_channel_through_its_relation()
    {
        OsInfoEntry centos6 = Db.Find("centos6.0") ?? Db.Find("rhel6.1")!;
        Assert.True(Db.IsRelatedTo(centos6, "rhel6.0"));
        Assert.True(VmOsDefaults.Of(Db, centos6).VirtioSerial);
        Assert.False(Db.IsRelatedTo(Db.Find("win10")!, "rhel6.0"));
    }

    [FactNeedsOsInfo]
    public void Every_os_with_a_short_id_is_found_by_it_and_its_lineage_resolves()
    {
        foreach (OsInfoEntry os in Db.Entries.Where(e => e.ShortIds.Length > 0))
        {
            Assert.Same(os, Db.Find(os.Id));
            VmOsDefaults d = VmOsDefaults.Of(Db, os);
            Assert.Equal(os.ShortId, d.ShortId);
            foreach (string parent in os.DerivesFrom)
            {
                Assert.Contains(Db.Lineage(os, withUpgrades: false), e => e.Id == parent);
            }
        }
    }

    [Fact]
    public void Generic_supports_nothing()
    {
        VmOsDefaults g = VmOsDefaults.Generic;
        Assert.True(VmOsDefaults.IsGeneric("Generic"));
        Assert.False(g.Q35 || g.VirtioDisk || g.VirtioNet || g.VirtioRng || g.VirtioSerial || g.VirtioBalloon || g.Usb3 || g.IsWindows);
        Assert.Equal("e1000", g.LegacyNicModel);
        Assert.Equal("utc", g.ClockOffset);
    }
}

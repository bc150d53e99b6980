using System.Diagnostics;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Iso;
using Xunit;

namespace KvmPS.Engine.Tests.Iso;

/// <summary>-Location with an ISO image: which kernel and initrd are taken, and their copies for the install boot.</summary>
public sealed class VmLocationIsoTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kvmps-loc-" + Guid.NewGuid().ToString("N"));

    public VmLocationIsoTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Iso(string name, params (string Path, string Text)[] files)
    {
        string tree = Path.Combine(_dir, name + ".d");
        foreach (var (path, text) in files)
        {
            string f = Path.Combine(tree, path);
            Directory.CreateDirectory(Path.GetDirectoryName(f)!);
            File.WriteAllText(f, text);
        }
        string iso = Path.Combine(_dir, name + ".iso");
        var psi = new ProcessStartInfo("xorriso") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in new[] { "-as", "mkisofs", "-quiet", "-R", "-J", "-o", iso, tree })
        {
            psi.ArgumentList.Add(a);
        }
        using Process p = Process.Start(psi)!;
        p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        return iso;
    }

    [FactNeedsPrograms("xorriso")]
    public void TreeinfoOfTheIsoNamesItsKernel()
    {
        string iso = Iso("fedora",
            (".treeinfo", "[general]\nfamily = Fedora\n[images-aarch64]\nkernel = images/arm/vmlinuz\ninitrd = images/arm/initrd.img\n[images-x86_64]\nkernel = images/pxeboot/vmlinuz\ninitrd = images/pxeboot/initrd.img\n"),
            ("images/pxeboot/vmlinuz", "k"), ("images/pxeboot/initrd.img", "i"), ("images/arm/vmlinuz", "a"), ("images/arm/initrd.img", "a"));
        Assert.Equal(new VmLocation("images/pxeboot/vmlinuz", "images/pxeboot/initrd.img", iso), VmLocation.Find("v", iso, local: true));
    }

    [FactNeedsPrograms("xorriso")]
    public void OsInfoMediaPathsComeBeforeTheKnownLayouts()
    {
        string iso = Iso("two", ("images/pxeboot/vmlinuz", "k"), ("images/pxeboot/initrd.img", "i"), ("isolinux/linux64", "k2"), ("isolinux/initrd64", "i2"));
        var os = new OsInfoEntry { Id = "x", BootFiles = new[] { new OsInfoBootFiles("aarch64", "images/pxeboot/vmlinuz", "images/pxeboot/initrd.img"), new OsInfoBootFiles("x86_64", "isolinux/linux64", "isolinux/initrd64") } };
        Assert.Equal(new VmLocation("isolinux/linux64", "isolinux/initrd64", iso), VmLocation.Find("v", iso, local: true, os));
        // Without the variant (or for another arch) the known layouts decide.
        Assert.Equal("images/pxeboot/vmlinuz", VmLocation.Find("v", iso, local: true).Kernel);
    }

    [FactNeedsPrograms("xorriso")]
    public void UbuntuLayoutAndRefusals()
    {
        string ubuntu = Iso("ubuntu", ("casper/vmlinuz", "k"), ("casper/initrd", "i"), (".disk/info", "Ubuntu 22.04"));
        Assert.Equal(new VmLocation("casper/vmlinuz", "casper/initrd", ubuntu), VmLocation.Find("v", ubuntu, local: true));
        string bare = Iso("bare", ("readme", "x"), ("casper/vmlinuz", "kernel without initrd"));
        var e = Assert.Throws<VmRequestException>(() => VmLocation.Find("v", bare, local: true));
        Assert.Equal("LocationNotRecognized", e.ErrorId);
        Assert.Contains("in the ISO", e.Message);
        Assert.Equal("LocationNeedsPool", Assert.Throws<VmRequestException>(() => VmLocation.Find("v", ubuntu, local: false)).ErrorId);
        Assert.Equal(new VmLocation("casper/vmlinuz", "casper/initrd", ubuntu), VmLocation.Find("v", ubuntu, local: false, pool: "p"));
    }

    [FactNeedsPrograms("xorriso")]
    public void CopiesAreMadeNewReadableAndUndone()
    {
        string iso = Iso("copy", ("casper/vmlinuz", "kernel bytes"), ("casper/initrd", "initrd bytes"));
        var boot = new VmIsoBoot(iso, "casper/vmlinuz", "casper/initrd", Path.Combine(_dir, "vm-install-vmlinuz"), Path.Combine(_dir, "vm-install-initrd"));
        var undo = new UndoLog();
        var said = new List<string>();
        boot.Extract(undo, said.Add, CancellationToken.None);
        Assert.Equal("kernel bytes", File.ReadAllText(boot.KernelPath));
        Assert.Equal("initrd bytes", File.ReadAllText(boot.InitrdPath!));
        Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(boot.KernelPath).HasFlag(UnixFileMode.OtherRead));
        Assert.Equal(2, said.Count);
        // A second run finds the files there and never overwrites them.
        Assert.Throws<IOException>(() => boot.Extract(new UndoLog(), _ => { }, CancellationToken.None));
        Assert.Equal("kernel bytes", File.ReadAllText(boot.KernelPath));
        undo.Rollback();
        Assert.False(File.Exists(boot.KernelPath));
        Assert.False(File.Exists(boot.InitrdPath));
        Assert.All(boot.Delete(), m => Assert.Contains("did not exist", m));
    }

    [TheoryNeedsOsInfo]
    [InlineData("ubuntu22.04", "casper/vmlinuz")]
    [InlineData("debian11", "install.amd/vmlinuz")]
    [InlineData("opensuse15.4", "boot/x86_64/loader/linux")]
    public void OsInfoDatabaseGivesTheMediaKernels(string variant, string kernel)
    {
        OsInfoEntry os = OsInfoDatabase.Default.Find(variant)!;
        Assert.Contains(os.BootFiles, b => b.Arch == "x86_64" && b.Kernel == kernel);
    }
}

using System.Diagnostics;
using System.Text;
using KvmPS.Engine.Iso;
using Xunit;

namespace KvmPS.Engine.Tests.Iso;

/// <summary>The ISO 9660 reader against images xorriso makes: Rock Ridge, Joliet only, plain level 1.</summary>
public sealed class IsoImageTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kvmps-iso-" + Guid.NewGuid().ToString("N"));

    public IsoImageTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // A tree like an installer's, with a kernel larger than one buffer and a deep path.
    private string MakeTree()
    {
        string tree = Path.Combine(_dir, "tree");
        Directory.CreateDirectory(Path.Combine(tree, "images/pxeboot"));
        Directory.CreateDirectory(Path.Combine(tree, "casper"));
        Directory.CreateDirectory(Path.Combine(tree, "a/b/c/d/e/f/g/h/i"));
        var kernel = new byte[(3 << 20) + 12345];
        new Random(7).NextBytes(kernel);
        File.WriteAllBytes(Path.Combine(tree, "images/pxeboot/vmlinuz"), kernel);
        File.WriteAllText(Path.Combine(tree, "images/pxeboot/initrd.img"), "initrd");
        File.WriteAllText(Path.Combine(tree, "casper/initrd"), "casper initrd");
        File.WriteAllText(Path.Combine(tree, ".treeinfo"), "[images-x86_64]\nkernel = images/pxeboot/vmlinuz\n");
        File.WriteAllText(Path.Combine(tree, "a/b/c/d/e/f/g/h/i/Deep-File.with.long.name.txt"), "deep");
        for (int i = 0; i < 120; i++)
        {
            // Enough entries that the root directory spans more than one sector.
            File.WriteAllText(Path.Combine(tree, $"filler-file-number-{i:D3}.txt"), i.ToString());
        }
        return tree;
    }

    private string MakeIso(string name, params string[] options)
    {
        string tree = MakeTree();
        string iso = Path.Combine(_dir, name);
        var psi = new ProcessStartInfo("xorriso") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in new[] { "-as", "mkisofs", "-quiet", "-o", iso }.Concat(options).Append(tree))
        {
            psi.ArgumentList.Add(a);
        }
        using Process p = Process.Start(psi)!;
        p.StandardOutput.ReadToEnd();
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, err);
        return iso;
    }

    private byte[] Read(IsoImage image, string path)
    {
        using var ms = new MemoryStream();
        image.CopyTo(path, ms);
        return ms.ToArray();
    }

    [FactNeedsPrograms("xorriso")]
    public void RockRidgeImageGivesTheFilesByTheirNames()
    {
        string iso = MakeIso("rr.iso", "-R");
        using IsoImage image = IsoImage.Open(iso);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_dir, "tree/images/pxeboot/vmlinuz")), Read(image, "images/pxeboot/vmlinuz"));
        Assert.Equal("casper initrd", Encoding.UTF8.GetString(Read(image, "/casper/initrd")));
        Assert.Equal("deep", image.ReadText("a/b/c/d/e/f/g/h/i/Deep-File.with.long.name.txt"));
        Assert.StartsWith("[images-x86_64]", image.ReadText(".treeinfo"));
        Assert.Contains("filler-file-number-119.txt", image.List("/"));
        Assert.Equal(new[] { "initrd.img", "vmlinuz" }, image.List("images/pxeboot").OrderBy(n => n, StringComparer.Ordinal));
        Assert.True(image.Find("images")!.IsDirectory);
        Assert.False(image.Exists("images/pxeboot/missing"));
        Assert.False(image.Exists("casper/initrd/below-a-file"));
    }

    [FactNeedsPrograms("xorriso")]
    public void JolietOnlyImageIsReadThroughItsJolietTree()
    {
        string iso = MakeIso("joliet.iso", "--norock", "-J", "-joliet-long");
        using IsoImage image = IsoImage.Open(iso);
        Assert.Equal("initrd", image.ReadText("images/pxeboot/initrd.img"));
        Assert.Contains("filler-file-number-119.txt", image.List(""));
        Assert.Equal("deep", image.ReadText("a/b/c/d/e/f/g/h/i/Deep-File.with.long.name.txt"));
        Assert.Equal(6, image.Find("images/pxeboot/initrd.img")!.Size);
    }

    [FactNeedsPrograms("xorriso")]
    public void PlainLevelOneNamesMatchWithoutCaseAndVersion()
    {
        // No Rock Ridge (xorriso writes it unless told not to), no Joliet: upper-case 8.3 names ("VMLINUZ.;1").
        string iso = MakeIso("plain.iso", "--norock", "-iso-level", "1");
        using IsoImage image = IsoImage.Open(iso);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_dir, "tree/images/pxeboot/vmlinuz")), Read(image, "images/pxeboot/vmlinuz"));
        Assert.Equal("casper initrd", image.ReadText("CASPER/INITRD"));
        Assert.Contains("VMLINUZ", image.List("IMAGES/PXEBOOT"));
    }

    [Fact]
    public void FileThatIsNoImageIsRefusedWithItsName()
    {
        string file = Path.Combine(_dir, "not.iso");
        File.WriteAllBytes(file, new byte[40 * 2048]);
        var e = Assert.Throws<IsoFormatException>(() => IsoImage.Open(file));
        Assert.Contains("not.iso", e.Message);
        Assert.Contains("no ISO 9660 image", e.Message);
    }

    [Fact]
    public void TruncatedFileIsRefused()
    {
        string file = Path.Combine(_dir, "short.iso");
        File.WriteAllBytes(file, new byte[1000]);
        var e = Assert.Throws<IsoFormatException>(() => IsoImage.Open(file));
        Assert.Contains("truncated", e.Message);
    }

    [FactNeedsPrograms("xorriso")]
    public void MissingFileIsFileNotFound()
    {
        string iso = MakeIso("rr2.iso", "-R");
        using IsoImage image = IsoImage.Open(iso);
        Assert.Throws<FileNotFoundException>(() => Read(image, "images/pxeboot/nothing"));
        Assert.Throws<FileNotFoundException>(() => Read(image, "images"));
        Assert.Null(image.ReadText("nothing"));
        Assert.Empty(image.List("nothing"));
    }
}

using KvmPS.Engine.Domains;
using KvmPS.Engine.Storage;
using Xunit;

namespace KvmPS.Engine.Tests;

// The cloud-init seed holds user-data (passwords, keys): nothing of it may be readable by others.
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class VmSeedTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _dir = Directory.CreateTempSubdirectory("kvmps-seedtest-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [FactNeedsPrograms("xorriso")]
    public void The_seed_iso_beside_the_disk_is_owner_only()
    {
        var seed = new VmSeedPlan("s-cidata.iso", "#cloud-config\npassword: secret\n", "instance-id: s\n", null);
        var said = new List<string>();
        string path = VmStorage.CreateSeed(null!, seed, _dir, said.Add, default);
        Assert.Equal(Path.Combine(_dir, "s-cidata.iso"), path);
        Assert.Equal(Private, File.GetUnixFileMode(path));
        Assert.True(new FileInfo(path).Length > 0);
        // Only the ISO is left: the staged user-data went with its directory.
        Assert.Equal(new[] { "s-cidata.iso" }, Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [FactNeedsPrograms("xorriso")]
    public void A_seed_with_network_config_is_owner_only_too()
    {
        string iso = Path.Combine(_dir, "n.iso");
        VmStorage.CreateCloudInitSeedAsync(iso, "#cloud-config\n", "instance-id: n\n", "version: 2\n", default).GetAwaiter().GetResult();
        Assert.Equal(Private, File.GetUnixFileMode(iso));
    }

    [Fact]
    public void An_existing_file_where_the_seed_goes_is_left_untouched()
    {
        string path = Path.Combine(_dir, "x-cidata.iso");
        File.WriteAllText(path, "mine");
        var seed = new VmSeedPlan("x-cidata.iso", "#cloud-config\n", "instance-id: x\n", null);
        Assert.Throws<IOException>(() => VmStorage.CreateSeed(null!, seed, _dir, _ => { }, default));
        Assert.Equal("mine", File.ReadAllText(path));
    }

    [Fact]
    public void The_staging_directory_is_owner_only()
    {
        string dir = VmStorage.CreatePrivateDirectory();
        try
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir));
            Assert.Empty(Directory.EnumerateFileSystemEntries(dir));
        }
        finally
        {
            Directory.Delete(dir);
        }
    }

    [Fact]
    public void A_volume_with_a_mode_asks_libvirt_for_those_permissions()
    {
        string xml = StorageVolumeXml.Build(new VolumeDefinition { Name = "s.iso", CapacityBytes = 2048, Format = "raw", Mode = Private });
        var target = System.Xml.Linq.XElement.Parse(xml).Element("target")!;
        Assert.Equal("0600", target.Element("permissions")?.Element("mode")?.Value);
        string plain = StorageVolumeXml.Build(new VolumeDefinition { Name = "d.qcow2", CapacityBytes = 2048, Format = "qcow2" });
        Assert.DoesNotContain("permissions", plain);
    }

    [Fact]
    public void CloudInit_takes_the_text_or_a_file_holding_it()
    {
        string file = Path.Combine(_dir, "user-data.yaml");
        File.WriteAllText(file, "#cloud-config\nhostname: from-file\n");
        Func<string, string> resolve = p => Path.GetFullPath(p, _dir);
        Assert.Equal("#cloud-config\nhostname: from-file\n", CloudInitSource.Read("v", file, resolve));
        Assert.Equal("#cloud-config\nhostname: from-file\n", CloudInitSource.Read("v", "user-data.yaml", resolve));
        Assert.Equal("#cloud-config\nhostname: x\n", CloudInitSource.Read("v", "#cloud-config\nhostname: x\n", resolve));
        Assert.Equal("no-such-file.yaml", CloudInitSource.Read("v", "no-such-file.yaml", resolve));
        Assert.Equal("a: b", CloudInitSource.Read("v", "a: b", _ => throw new ArgumentException("not a path")));
        var e = Assert.Throws<VmRequestException>(() => CloudInitSource.Read("v", _dir, resolve));
        Assert.Equal("CloudInitIsDirectory", e.ErrorId);
    }
}

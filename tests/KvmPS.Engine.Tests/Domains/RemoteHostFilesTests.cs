using System.Xml.Linq;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Storage;
using Xunit;

namespace KvmPS.Engine.Tests.Domains;

// New-KvmVM's files on a host that is not this machine: libvirt's test driver (a private copy of
// tests/fixtures/testdriver/remote-pool.xml, pool 'images' at /srv/kvmps-remote, which this machine
// lacks) with the connection treated as remote. Only the host's storage API decides about paths.
public sealed class RemoteHostFilesTests : IDisposable
{
    private const string Base = "/srv/kvmps-remote/base.qcow2";
    private readonly string _hostFile = Path.Combine(Path.GetTempPath(), $"kvmps-remote-{Guid.NewGuid():N}.xml");
    private readonly string _localFile = Path.Combine(Path.GetTempPath(), $"kvmps-local-{Guid.NewGuid():N}.qcow2");

    public RemoteHostFilesTests()
    {
        File.Copy(Path.Combine(AppContext.BaseDirectory, "fixtures", "testdriver", "remote-pool.xml"), _hostFile);
        File.WriteAllText(_localFile, "a file of this machine, not of the host");
    }

    public void Dispose()
    {
        File.Delete(_hostFile);
        File.Delete(_localFile);
    }

    private LibvirtConnection Remote()
    {
        var conn = LibvirtConnection.Open("test://" + _hostFile);
        conn.TreatAsRemote = true;
        return conn;
    }

    // A resolver that fails the test if anything resolves a host path against this machine.
    // generic: a VM that boots something needs an OS variant (one osinfo-db need not have).
    private static VmRequest Vm(string name) => new()
    {
        Name = name,
        MemoryBytes = 256UL << 20,
        OSVariant = "generic",
        ResolvePath = p => throw new InvalidOperationException($"'{p}' was resolved on this machine."),
    };

    [Fact]
    public void The_seam_makes_the_test_driver_a_remote_host()
    {
        using var conn = Remote();
        Assert.False(conn.IsLocal);
        using var local = LibvirtConnection.Open("test://" + _hostFile);
        Assert.True(local.IsLocal);
    }

    [Fact]
    public void Import_of_a_host_volume_reads_its_format_from_the_pool_and_owns_nothing()
    {
        Assert.False(File.Exists(Base));
        using var conn = Remote();
        VmPlan plan = VmProvisioner.Plan(conn, Vm("imp") with { DiskPath = Base, Import = true });
        Assert.False(plan.Local);
        Assert.Equal(new VmDiskPlan(VmDiskSource.ExistingFile, Base, null, 0, "qcow2"), plan.Disk);

        VmProvisionResult result = VmProvisioner.Apply(plan, null, CancellationToken.None);
        Assert.Empty(result.CreatedStorage);
        using var h = conn.LookupDomain("imp");
        XElement d = XElement.Parse(LibvirtConnection.GetXml(h));
        Assert.Empty(DomainXml.OwnedPaths(d));
        XElement disk = d.Descendants("disk").Single(x => (string?)x.Attribute("device") == "disk");
        Assert.Equal(Base, (string?)disk.Element("source")?.Attribute("file"));
        Assert.Equal("qcow2", (string?)disk.Element("driver")?.Attribute("type"));
    }

    [Fact]
    public void A_file_of_this_machine_is_not_a_disk_of_the_remote_host()
    {
        using var conn = Remote();
        var e = Assert.Throws<VmRequestException>(() => VmProvisioner.Plan(conn, Vm("imp") with { DiskPath = _localFile, Import = true }));
        Assert.Equal("DiskNotFound", e.ErrorId);
        Assert.Contains("no volume of any storage pool", e.Message);
        Assert.Contains("Import-KvmVolume", e.Message);
    }

    [Fact]
    public void A_given_format_wins_over_the_pools()
    {
        using var conn = Remote();
        VmPlan plan = VmProvisioner.Plan(conn, Vm("imp") with { DiskPath = Base, Import = true, DiskFormat = "raw" });
        Assert.Equal("raw", plan.Disk!.Format);
    }

    [Theory]
    [InlineData("DiskPath")]
    [InlineData("Cdrom")]
    [InlineData("Kernel")]
    [InlineData("SerialLogPath")]
    public void Relative_paths_are_refused_for_a_remote_host(string param)
    {
        using var conn = Remote();
        VmRequest r = Vm("rel") with { Pool = "images", DiskSizeBytes = 1UL << 30 };
        r = param switch
        {
            "DiskPath" => r with { Pool = null, DiskSizeBytes = null, DiskPath = "disks/a.qcow2", Import = true },
            "Cdrom" => r with { Cdrom = "install.iso" },
            "Kernel" => r with { Kernel = "boot/vmlinuz" },
            _ => r with { SerialLogPath = "serial.log" },
        };
        var e = Assert.Throws<VmRequestException>(() => VmProvisioner.Plan(conn, r));
        Assert.Equal("RelativePathOnRemoteHost", e.ErrorId);
        Assert.Contains($"-{param}", e.Message);
    }

    [Fact]
    public void A_new_disk_file_is_refused_on_a_remote_host()
    {
        using var conn = Remote();
        var e = Assert.Throws<VmRequestException>(() =>
            VmProvisioner.Plan(conn, Vm("new") with { DiskPath = "/srv/kvmps-remote/new.qcow2", DiskSizeBytes = 1UL << 30 }));
        Assert.Equal("DiskPathOnRemoteHost", e.ErrorId);
    }

    [Fact]
    public void An_iso_in_a_pool_is_checked_there_and_one_outside_is_used_with_a_warning()
    {
        using var conn = Remote();
        VmPlan inPool = VmProvisioner.Plan(conn, Vm("cd") with { Pool = "images", DiskSizeBytes = 1UL << 30, Cdrom = "/srv/kvmps-remote/install.iso" });
        Assert.Equal("/srv/kvmps-remote/install.iso", inPool.Cdrom);
        Assert.Empty(inPool.Warnings);
        // A path of this machine says nothing about the host: it is in no pool there.
        VmPlan outside = VmProvisioner.Plan(conn, Vm("cd") with { Pool = "images", DiskSizeBytes = 1UL << 30, Cdrom = _localFile, Kernel = "/boot/vmlinuz-x" });
        Assert.Equal(_localFile, outside.Cdrom);
        Assert.Contains(outside.Warnings, w => w.StartsWith($"-Cdrom '{_localFile}' is in no storage pool of", StringComparison.Ordinal));
        Assert.Contains(outside.Warnings, w => w.StartsWith("-Kernel '/boot/vmlinuz-x' is in no storage pool of", StringComparison.Ordinal));
    }

    [Fact]
    public void The_cloud_init_seed_of_an_imported_disk_goes_to_the_disks_pool()
    {
        using var conn = Remote();
        VmPlan plan = VmProvisioner.Plan(conn, Vm("ci") with { DiskPath = Base, Import = true, CloudInitUserData = "#cloud-config\n" } with
        {
            // The user-data is this machine's text: only it may go through the local resolver.
            ResolvePath = p => p,
        });
        Assert.Equal("images", plan.Seed!.Pool);
    }

    [Fact]
    public void Host_volumes_are_found_by_path_with_their_pool_and_size()
    {
        // A path no pool holds, even after the refresh of the pool whose directory it is in, is null.
        using var conn = Remote();
        Assert.Null(HostVolumes.Find(conn, "/srv/kvmps-remote/not-there.qcow2"));
        Assert.Equal("images", HostVolumes.Find(conn, Base)!.Value.Pool);
        Assert.Equal(20UL << 30, HostVolumes.Find(conn, Base)!.Value.Volume.CapacityBytes);
    }
}

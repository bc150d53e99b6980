using System.Xml.Linq;
using KvmPS.Engine.Domains;
using Xunit;

namespace KvmPS.Engine.Tests.Domains;

// New-KvmVM -Disk path=... on a host that is not this machine (the test driver host of
// tests/fixtures/testdriver/remote-pool.xml, treated as remote): the file's format comes from the
// host's pool or from format=, never from reading a file of this machine.
public sealed class RemoteExtraDisksTests : IDisposable
{
    private const string Base = "/srv/kvmps-remote/base.qcow2";
    private readonly string _hostFile = Path.Combine(Path.GetTempPath(), $"kvmps-remote-disks-{Guid.NewGuid():N}.xml");
    private readonly string _localFile = Path.Combine(Path.GetTempPath(), $"kvmps-local-disk-{Guid.NewGuid():N}.qcow2");

    public RemoteExtraDisksTests()
    {
        File.Copy(Path.Combine(AppContext.BaseDirectory, "fixtures", "testdriver", "remote-pool.xml"), _hostFile);
        // A qcow2 header on this machine: a local probe would call it qcow2.
        File.WriteAllBytes(_localFile, new byte[] { 0x51, 0x46, 0x49, 0xfb, 0, 0, 0, 3 }.Concat(new byte[504]).ToArray());
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

    private static VmRequest Vm(string name, params string[] disks) => new()
    {
        Name = name,
        MemoryBytes = 256UL << 20,
        OSVariant = "generic",
        ResolvePath = p => throw new InvalidOperationException($"'{p}' was resolved on this machine."),
        Install = new VmInstallOptions { Disks = disks.Select(d => VmDiskSpecText.Parse(name, d)).ToArray() },
    };

    [Fact]
    public void A_disk_in_a_pool_of_the_host_gets_the_pools_format_and_is_defined_with_it()
    {
        Assert.False(File.Exists(Base));
        using var conn = Remote();
        VmPlan plan = VmProvisioner.Plan(conn, Vm("xd1", $"path={Base}"));
        Assert.Equal(new VmDiskPlan(VmDiskSource.ExistingFile, Base, null, 0, "qcow2"), plan.ExtraDisks.Single() with { Options = null });
        VmProvisionResult result = VmProvisioner.Apply(plan, null, CancellationToken.None);
        Assert.Empty(result.CreatedStorage);
        XElement disk = XElement.Parse(result.DomainXml).Descendants("disk").Single(x => (string?)x.Element("source")?.Attribute("file") == Base);
        Assert.Equal("qcow2", (string?)disk.Element("driver")?.Attribute("type"));
    }

    [Fact]
    public void A_file_no_pool_holds_needs_format_and_is_not_probed_here()
    {
        using var conn = Remote();
        // The path exists on this machine (with a qcow2 header), but it is the host's path that counts.
        var e = Assert.Throws<VmRequestException>(() => VmProvisioner.Plan(conn, Vm("xd2", $"path={_localFile}")));
        Assert.Equal("DiskFormatUnknown", e.ErrorId);
        Assert.Contains("format=", e.Message);
        VmPlan plan = VmProvisioner.Plan(conn, Vm("xd2", $"path={_localFile},format=raw"));
        Assert.Equal("raw", plan.ExtraDisks.Single().Format);
    }

    [Fact]
    public void A_given_format_wins_and_a_cdrom_is_raw()
    {
        using var conn = Remote();
        VmPlan plan = VmProvisioner.Plan(conn, Vm("xd3", $"path={Base},format=raw", "path=/srv/elsewhere/x.iso,device=cdrom"));
        Assert.Equal(new[] { "raw", "raw" }, plan.ExtraDisks.Select(d => d.Format));
    }

    [Fact]
    public void A_relative_disk_path_is_refused_for_a_remote_host()
    {
        using var conn = Remote();
        var e = Assert.Throws<VmRequestException>(() => VmProvisioner.Plan(conn, Vm("xd4", "path=images/data.qcow2,format=qcow2")));
        Assert.Equal("RelativePathOnRemoteHost", e.ErrorId);
    }
}

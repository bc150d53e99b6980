using System.Xml.Linq;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Storage;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>
/// Which VMs use which storage (disk sources and backing chains), what -DeleteStorage may delete,
/// and what keeps a pool's data from being deleted in one go.
/// </summary>
public sealed class StorageUsageTests : IDisposable
{
    private readonly string _hostFile;

    public StorageUsageTests()
    {
        // A host of its own: a running dir pool with a base image, an overlay on it and a spare volume.
        var node = XElement.Parse(
            "<node>"
            + "<pool type='dir'><name>su-pool</name><uuid>5d2c7a9e-0b1f-4c38-9d63-2f1a4b7c8e01</uuid><target><path>/su-pool</path></target>"
            + Volume("base.qcow2", null) + Volume("over.qcow2", "/su-pool/base.qcow2") + Volume("spare.qcow2", null)
            + "</pool>"
            + Domain("su-child", "<disk type='file' device='disk'><source file='/su-pool/over.qcow2'/><target dev='vda' bus='virtio'/></disk>")
            + Domain("su-byname", "<disk type='volume' device='disk'><source pool='su-pool' volume='spare.qcow2'/><target dev='vda' bus='virtio'/></disk>")
            + "</node>");
        _hostFile = Path.Combine(Path.GetTempPath(), $"kvmps-usage-{Guid.NewGuid():N}.xml");
        File.WriteAllText(_hostFile, node.ToString());
    }

    public void Dispose() => File.Delete(_hostFile);

    private static string Volume(string name, string? backing) =>
        $"<volume type='file'><name>{name}</name><capacity unit='bytes'>1048576</capacity><target><path>/su-pool/{name}</path><format type='qcow2'/></target>"
        + (backing is null ? "" : $"<backingStore><path>{backing}</path><format type='qcow2'/></backingStore>")
        + "</volume>";

    private static string Domain(string name, string disks) =>
        $"<domain type='test'><name>{name}</name><memory>262144</memory><vcpu>1</vcpu><os><type>hvm</type></os><devices>{disks}</devices></domain>";

    private static (string, XElement) Def(string name, params string[] files) =>
        (name, XElement.Parse(Domain(name, string.Concat(files.Select((f, i) =>
            $"<disk type='file' device='disk'><source file='{f}'/><target dev='vd{(char)('a' + i)}'/></disk>")))));

    [Fact]
    public void The_host_view_follows_backing_chains_from_the_volume_definitions()
    {
        using var conn = LibvirtConnection.Open("test://" + _hostFile);
        StorageUsage usage = StorageUsage.Read(conn);
        Assert.Equal(new[] { "su-child" }, usage.UsersOf("/su-pool/over.qcow2"));
        // The base image is used by the VM whose overlay sits on it, though no disk names it.
        Assert.Equal(new[] { "su-child" }, usage.UsersOf("/su-pool/base.qcow2"));
        Assert.Empty(usage.UsersOf("/su-pool/base.qcow2", except: "su-child"));
        // A disk that names a pool volume counts, by its path and by the pool's name.
        Assert.Equal(new[] { "su-byname" }, usage.UsersOf("/su-pool/spare.qcow2"));
        Assert.Equal(new[] { "su-byname" }, usage.UsersOfPool("su-pool", Array.Empty<string>(), null));
        Assert.Equal(new[] { "su-byname", "su-child" }, usage.UsersOfPool("su-pool", new[] { "/su-pool/base.qcow2" }, null));
        Assert.Equal(new[] { "su-byname", "su-child" }, usage.UsersOfPool("other", Array.Empty<string>(), "/su-pool/"));
        Assert.Empty(usage.UsersOfPool("other", Array.Empty<string>(), "/su-poo"));
        Assert.Empty(usage.UsersOf("/su-pool/none.qcow2"));
    }

    [Fact]
    public void Chains_are_followed_through_the_resolver_and_the_xml_with_relative_names_and_loops()
    {
        var backing = new Dictionary<string, string>
        {
            ["/i/top.qcow2"] = "mid.qcow2",          // relative to the overlay's directory
            ["/i/mid.qcow2"] = "/b/base.qcow2",
            ["/b/base.qcow2"] = "/i/top.qcow2",       // a loop: must end
        };
        var live = XElement.Parse(Domain("live",
            "<disk type='file'><source file='/l/over.qcow2'/><backingStore type='file'><source file='/l/../l/base.qcow2'/><backingStore/></backingStore><target dev='vda'/></disk>"));
        StorageUsage usage = StorageUsage.From(new[] { Def("chain", "/i/top.qcow2"), Def("other", "/x/own.img"), ("live", live) },
            p => backing.TryGetValue(p, out string? b) ? b : null);
        Assert.Equal(new[] { "chain" }, usage.UsersOf("/i/mid.qcow2"));
        Assert.Equal(new[] { "chain" }, usage.UsersOf("/b/base.qcow2"));
        Assert.Equal(new[] { "live" }, usage.UsersOf("/l/base.qcow2"));
        Assert.Equal(new[] { "other" }, usage.UsersOf("/x/./own.img"));
        var used = usage.Used(new[] { "/b/base.qcow2", "/x/own.img", "/free.img" }, except: "other");
        Assert.Equal(new[] { "/b/base.qcow2" }, used.Select(u => u.Path));
        Assert.Contains("used by chain", StorageUsage.Describe(used));
    }

    [Fact]
    public void DeleteStorage_plans_only_owned_paths_that_are_sources_of_the_definition()
    {
        const string uuid = "0f8e9a61-7c25-4d3b-a1e4-6b9d2c5f3a70";
        var d = XElement.Parse(
            $"<domain type='kvm'><name>own</name><uuid>{uuid}</uuid><metadata><kvmps:kvmps xmlns:kvmps='{DomainXml.KvmPSNs.NamespaceName}'>"
            + $"<kvmps:owned path='/i/own.qcow2' owner='{uuid}'/><kvmps:owned path='/i/seed.iso' owner='{uuid}'/>"
            + $"<kvmps:owned path='/etc/important.conf' owner='{uuid}'/><kvmps:owned path='/i/base.qcow2' owner='{uuid}'/>"
            + $"<kvmps:owned path='/i/theirs.qcow2' owner='11111111-2222-3333-4444-555555555555'/></kvmps:kvmps></metadata>"
            + "<devices><disk type='file' device='disk'><source file='/i/own.qcow2'/><target dev='vda'/></disk>"
            + "<disk type='file' device='cdrom'><source file='/i/seed.iso'/><target dev='sda'/></disk>"
            + "<disk type='file' device='disk'><source file='/i/theirs.qcow2'/><target dev='vdb'/></disk></devices></domain>");
        var (delete, notSources) = OwnedStorage.Plan(d);
        Assert.Equal(new[] { "/i/own.qcow2", "/i/seed.iso" }, delete);
        // Listed as owned, but no disk of the VM: a file an imported definition could name. Kept.
        Assert.Equal(new[] { "/etc/important.conf", "/i/base.qcow2" }, notSources);
        // Another VM's disk among them is found before anything is deleted.
        StorageUsage usage = StorageUsage.From(new[] { ("own", d), Def("neighbour", "/i/seed.iso") }, _ => null);
        var shared = OwnedStorage.SharedWithOthers(usage, delete, "own");
        Assert.Equal("/i/seed.iso", Assert.Single(shared).Path);
        Assert.Equal(new[] { "neighbour" }, shared[0].Users);
    }

    [Fact]
    public void Pool_data_with_foreign_files_or_full_directory_volumes_is_not_deletable()
    {
        var tree = new FakeDirectories(new Dictionary<string, string[]>
        {
            ["/p"] = new[] { "/p/a.qcow2", "/p/notes.txt", "/p/sub" },
            ["/p/sub"] = new[] { "/p/sub/x" },
            ["/q"] = new[] { "/q/a.qcow2" },
        });
        var vols = new[]
        {
            new VolumeDefinition { Name = "a.qcow2", Path = "/p/a.qcow2", Type = "file" },
            new VolumeDefinition { Name = "sub", Path = "/p/sub", Type = "dir" },
        };
        var pool = new StoragePoolDefinition { Name = "p", Type = KvmStoragePoolType.Dir, Path = "/p" };
        List<string> problems = StoragePoolDeletion.Obstacles(pool, vols, localHost: true, tree);
        Assert.Equal(2, problems.Count);
        Assert.Contains("/p/notes.txt", problems[0]);
        Assert.DoesNotContain("a.qcow2", problems[0]);
        Assert.Contains("/p/sub is not empty", problems[1]);
        var q = pool with { Name = "q", Path = "/q" };
        Assert.Empty(StoragePoolDeletion.Obstacles(q, new[] { vols[0] with { Path = "/q/a.qcow2" } }, localHost: true, tree));
        Assert.Empty(StoragePoolDeletion.Obstacles(pool, vols, localHost: false, tree));
        Assert.Equal("/p", StoragePoolDeletion.VolumeDirectory(pool));
        Assert.Null(StoragePoolDeletion.VolumeDirectory(pool with { Type = KvmStoragePoolType.Iscsi }));
    }

    private sealed class FakeDirectories(Dictionary<string, string[]> tree) : StoragePoolDeletion.IDirectories
    {
        public bool Exists(string path) => tree.ContainsKey(path);

        public IEnumerable<string> Entries(string path) => tree.TryGetValue(path, out string[]? e) ? e : Array.Empty<string>();
    }
}

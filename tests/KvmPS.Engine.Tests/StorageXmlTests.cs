using System.Xml.Linq;
using KvmPS.Engine.Storage;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>Pool and volume XML: requests checked and completed, XML built and read back, definitions compared.</summary>
public class StorageXmlTests
{
    private static StoragePoolDefinition Plan(KvmStoragePoolType type, string? path = null, string[]? hosts = null,
        string? sourcePath = null, string[]? devices = null, string? sourceName = null, string? format = null, string name = "p1") =>
        StoragePoolXml.Plan(new StoragePoolDefinition
        {
            Name = name,
            Type = type,
            Path = path,
            SourceHosts = (hosts ?? Array.Empty<string>()).Select(StorageHost.Parse).ToArray(),
            SourcePath = sourcePath,
            SourceDevices = devices ?? Array.Empty<string>(),
            SourceName = sourceName,
            SourceFormat = format,
        });

    [Fact]
    public void Dir_pool_is_a_name_and_a_target_path()
    {
        string xml = StoragePoolXml.Build(Plan(KvmStoragePoolType.Dir, "/var/lib/libvirt/images/"));
        XElement pool = XElement.Parse(xml);
        Assert.Equal("dir", (string?)pool.Attribute("type"));
        Assert.Equal("p1", pool.Element("name")?.Value);
        Assert.Equal("/var/lib/libvirt/images", pool.Element("target")?.Element("path")?.Value);
        Assert.Null(pool.Element("source"));
        Assert.Null(pool.Element("uuid"));
    }

    [Theory]
    [InlineData("images", "must be absolute")]
    [InlineData(null, "need a target path")]
    public void Dir_pool_needs_an_absolute_path(string? path, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => Plan(KvmStoragePoolType.Dir, path));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Source_parameters_a_type_does_not_take_are_refused_all_at_once()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Plan(KvmStoragePoolType.Dir, "/x", hosts: new[] { "h" }, devices: new[] { "/dev/sdb" }, format: "ext4"));
        Assert.Contains("-SourceHost", e.Message);
        Assert.Contains("-SourceDevice", e.Message);
        Assert.Contains("-SourceFormat", e.Message);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData(" ")]
    [InlineData("\tweb")]
    [InlineData(" web")]
    [InlineData("web ")]
    public void Bad_pool_names_are_refused(string name)
    {
        Assert.Contains("is not a valid storage pool name: it must be non-empty, without '/', control characters or leading/trailing spaces.",
            Assert.Throws<ArgumentException>(() => Plan(KvmStoragePoolType.Dir, "/x", name: name)).Message);
    }

    [Fact]
    public void Fs_pool_mounts_one_device_with_format_auto()
    {
        var d = Plan(KvmStoragePoolType.Fs, "/mnt/images", devices: new[] { "/dev/sdb1" });
        XElement source = XElement.Parse(StoragePoolXml.Build(d)).Element("source")!;
        Assert.Equal("/dev/sdb1", (string?)source.Element("device")?.Attribute("path"));
        Assert.Equal("auto", (string?)source.Element("format")?.Attribute("type"));
        Assert.Throws<ArgumentException>(() => Plan(KvmStoragePoolType.Fs, "/mnt/images"));
        Assert.Contains("not one of", Assert.Throws<ArgumentException>(() =>
            Plan(KvmStoragePoolType.Fs, "/mnt/images", devices: new[] { "/dev/sdb1" }, format: "ntfs-3g")).Message);
    }

    [Fact]
    public void NetFs_pool_has_host_with_port_and_export()
    {
        var d = Plan(KvmStoragePoolType.NetFs, "/mnt/nfs", hosts: new[] { "nfs.example.com:2049" }, sourcePath: "/export/images");
        XElement source = XElement.Parse(StoragePoolXml.Build(d)).Element("source")!;
        XElement host = source.Element("host")!;
        Assert.Equal("nfs.example.com", (string?)host.Attribute("name"));
        Assert.Equal("2049", (string?)host.Attribute("port"));
        Assert.Equal("/export/images", (string?)source.Element("dir")?.Attribute("path"));
        Assert.Equal("auto", (string?)source.Element("format")?.Attribute("type"));
    }

    [Fact]
    public void NetFs_export_must_be_absolute_except_for_cifs_shares()
    {
        Assert.Contains("absolute", Assert.Throws<ArgumentException>(() =>
            Plan(KvmStoragePoolType.NetFs, "/mnt/n", hosts: new[] { "srv" }, sourcePath: "share")).Message);
        var cifs = Plan(KvmStoragePoolType.NetFs, "/mnt/n", hosts: new[] { "srv" }, sourcePath: "share", format: "CIFS");
        Assert.Equal("cifs", cifs.SourceFormat);
        Assert.Throws<ArgumentException>(() => Plan(KvmStoragePoolType.NetFs, "/mnt/n", sourcePath: "/e"));
    }

    [Fact]
    public void Logical_pool_defaults_to_a_volume_group_named_after_the_pool()
    {
        var d = Plan(KvmStoragePoolType.Logical, name: "vmvg");
        Assert.Equal("vmvg", d.SourceName);
        Assert.Equal("/dev/vmvg", d.Path);
        Assert.Equal("lvm2", d.SourceFormat);
        var withDevices = Plan(KvmStoragePoolType.Logical, sourceName: "vg0", devices: new[] { "/dev/sdc", "/dev/sdd" });
        XElement source = XElement.Parse(StoragePoolXml.Build(withDevices)).Element("source")!;
        Assert.Equal(new[] { "/dev/sdc", "/dev/sdd" }, source.Elements("device").Select(e => (string?)e.Attribute("path")));
        Assert.Equal("vg0", source.Element("name")?.Value);
        Assert.Equal("/dev/vg0", withDevices.Path);
    }

    [Fact]
    public void Rbd_pool_has_monitors_and_a_ceph_pool_but_no_target()
    {
        var d = Plan(KvmStoragePoolType.Rbd, hosts: new[] { "mon1", "[fd00::5]:6789" }, name: "ceph");
        XElement pool = XElement.Parse(StoragePoolXml.Build(d));
        Assert.Null(pool.Element("target"));
        XElement source = pool.Element("source")!;
        Assert.Equal("ceph", source.Element("name")?.Value);
        Assert.Equal(new[] { "mon1", "fd00::5" }, source.Elements("host").Select(h => (string?)h.Attribute("name")));
        Assert.Equal("6789", (string?)source.Elements("host").Last().Attribute("port"));
        Assert.Contains("no target path", Assert.Throws<ArgumentException>(() =>
            Plan(KvmStoragePoolType.Rbd, "/x", hosts: new[] { "mon1" })).Message);
        Assert.Throws<ArgumentException>(() => Plan(KvmStoragePoolType.Rbd));
    }

    [Fact]
    public void Iscsi_pool_has_portal_target_iqn_and_by_path_directory()
    {
        var d = Plan(KvmStoragePoolType.Iscsi, hosts: new[] { "192.0.2.10" }, devices: new[] { "iqn.2013-06.com.example:disks" });
        Assert.Equal("/dev/disk/by-path", d.Path);
        XElement source = XElement.Parse(StoragePoolXml.Build(d)).Element("source")!;
        Assert.Equal("iqn.2013-06.com.example:disks", (string?)source.Element("device")?.Attribute("path"));
        Assert.Contains("IQN", Assert.Throws<ArgumentException>(() =>
            Plan(KvmStoragePoolType.Iscsi, hosts: new[] { "192.0.2.10" })).Message);
    }

    [Theory]
    [InlineData("host1", "host1", null)]
    [InlineData("host1:3260", "host1", 3260)]
    [InlineData("192.0.2.1:6789", "192.0.2.1", 6789)]
    [InlineData("[fd00::1]:6789", "fd00::1", 6789)]
    [InlineData("fd00::1", "fd00::1", null)]
    [InlineData(" nfs.example.com ", "nfs.example.com", null)]
    public void Source_hosts_parse_with_optional_port(string text, string name, int? port)
    {
        Assert.Equal(new StorageHost(name, port), StorageHost.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("host:0")]
    [InlineData("host:70000")]
    [InlineData("host:x")]
    [InlineData("bad host")]
    [InlineData("[fd00::1")]
    public void Bad_source_hosts_are_refused(string text)
    {
        Assert.Throws<ArgumentException>(() => StorageHost.Parse(text));
    }

    [Fact]
    public void Source_host_prints_as_it_parses()
    {
        Assert.Equal("[fd00::1]:6789", StorageHost.Parse("[fd00::1]:6789").ToString());
        Assert.Equal("h:1", StorageHost.Parse("h:1").ToString());
    }

    public static IEnumerable<object[]> PlannedPools() => new[]
    {
        new object[] { Plan(KvmStoragePoolType.Dir, "/srv/images") },
        new object[] { Plan(KvmStoragePoolType.Fs, "/mnt/fs", devices: new[] { "/dev/vdb1" }, format: "xfs") },
        new object[] { Plan(KvmStoragePoolType.NetFs, "/mnt/nfs", hosts: new[] { "nfs:2049" }, sourcePath: "/export") },
        new object[] { Plan(KvmStoragePoolType.Logical, devices: new[] { "/dev/vdc" }) },
        new object[] { Plan(KvmStoragePoolType.Rbd, hosts: new[] { "mon1", "mon2:6789" }) },
        new object[] { Plan(KvmStoragePoolType.Iscsi, hosts: new[] { "portal" }, devices: new[] { "iqn.2020-01.org.example:t1" }) },
    };

    [Theory]
    [MemberData(nameof(PlannedPools))]
    public void Built_xml_reads_back_as_the_same_definition(StoragePoolDefinition planned)
    {
        StoragePoolDefinition read = StoragePoolXml.Parse(StoragePoolXml.Build(planned));
        Assert.Equal(planned.TypeName, read.TypeName);
        Assert.Equal(planned.Type, read.Type);
        Assert.Empty(StoragePoolXml.Differences(read, planned));
    }

    [Fact]
    public void Reads_a_pool_as_libvirt_writes_it()
    {
        const string xml = """
            <pool type='netfs'>
              <name>nfs1</name>
              <uuid>eecdf084-8fcf-4bf6-a9a2-f291147427da</uuid>
              <capacity unit='bytes'>107374182400</capacity>
              <allocation unit='bytes'>0</allocation>
              <available unit='bytes'>107374182400</available>
              <source>
                <host name='127.0.0.1'/>
                <dir path='/export'/>
                <format type='auto'/>
              </source>
              <target>
                <path>/mnt/y</path>
                <permissions><mode>0755</mode><owner>0</owner><group>0</group></permissions>
              </target>
            </pool>
            """;
        StoragePoolDefinition d = StoragePoolXml.Parse(xml);
        Assert.Equal(KvmStoragePoolType.NetFs, d.Type);
        Assert.Equal("nfs1", d.Name);
        Assert.Equal(Guid.Parse("eecdf084-8fcf-4bf6-a9a2-f291147427da"), d.Uuid);
        Assert.Equal("/mnt/y", d.Path);
        Assert.Equal(new StorageHost("127.0.0.1", null), Assert.Single(d.SourceHosts));
        Assert.Equal("/export", d.SourcePath);
        Assert.Equal("auto", d.SourceFormat);
    }

    [Fact]
    public void Unknown_pool_types_keep_their_name()
    {
        StoragePoolDefinition d = StoragePoolXml.Parse("<pool type='zfs'><name>z</name><source><name>tank</name></source></pool>");
        Assert.Equal(KvmStoragePoolType.Zfs, d.Type);
        d = StoragePoolXml.Parse("<pool type='future'><name>f</name></pool>");
        Assert.Equal(KvmStoragePoolType.Unknown, d.Type);
        Assert.Equal("future", d.TypeName);
        Assert.Throws<ArgumentException>(() => StoragePoolXml.Plan(d));
    }

    [Fact]
    public void Differences_name_what_differs_and_ignore_trailing_slashes()
    {
        var wanted = Plan(KvmStoragePoolType.Dir, "/srv/images");
        var same = StoragePoolXml.Parse("<pool type='dir'><name>p1</name><uuid>3de3c391-27c5-4e5b-8546-46c3094b10b5</uuid><target><path>/srv/images/</path></target></pool>");
        Assert.Empty(StoragePoolXml.Differences(same, wanted));
        var other = StoragePoolXml.Parse("<pool type='netfs'><name>p1</name><source><host name='h'/><dir path='/e'/></source><target><path>/srv/other</path></target></pool>");
        var diffs = StoragePoolXml.Differences(other, wanted);
        Assert.Contains(diffs, d => d.StartsWith("type is 'netfs'"));
        Assert.Contains(diffs, d => d.StartsWith("target path is '/srv/other'"));
        Assert.Contains(diffs, d => d.StartsWith("source host"));
    }

    [Fact]
    public void Differences_compare_devices_as_a_set_and_the_file_system_type()
    {
        var wanted = Plan(KvmStoragePoolType.Logical, sourceName: "vg", devices: new[] { "/dev/b", "/dev/a" });
        var existing = wanted with { SourceDevices = new[] { "/dev/a", "/dev/b" } };
        Assert.Empty(StoragePoolXml.Differences(existing, wanted));
        var fs = Plan(KvmStoragePoolType.Fs, "/mnt/f", devices: new[] { "/dev/a" }, format: "ext4");
        Assert.Single(StoragePoolXml.Differences(fs with { SourceFormat = "xfs" }, fs));
    }

    [Fact]
    public void Pools_are_built_safely_for_their_type()
    {
        Assert.Equal(0u, StoragePoolProvisioner.BuildFlags(Plan(KvmStoragePoolType.Dir, "/x")));
        // Fs: never mkfs (the flags that would format the device are not given).
        Assert.Equal(0u, StoragePoolProvisioner.BuildFlags(Plan(KvmStoragePoolType.Fs, "/x", devices: new[] { "/dev/a" })));
        Assert.Null(StoragePoolProvisioner.BuildFlags(Plan(KvmStoragePoolType.Logical)));
        Assert.Equal(4u, StoragePoolProvisioner.BuildFlags(Plan(KvmStoragePoolType.Logical, devices: new[] { "/dev/a" })));
        Assert.Null(StoragePoolProvisioner.BuildFlags(Plan(KvmStoragePoolType.Rbd, hosts: new[] { "m" })));
    }

    [Fact]
    public void Volume_xml_is_thin_with_format_and_backing_store()
    {
        string xml = StorageVolumeXml.Build(new VolumeDefinition
        {
            Name = "web1.qcow2",
            CapacityBytes = 20UL << 30,
            Format = "qcow2",
            BackingPath = "/var/lib/libvirt/images/base.qcow2",
            BackingFormat = "qcow2",
        });
        XElement vol = XElement.Parse(xml);
        Assert.Equal("web1.qcow2", vol.Element("name")?.Value);
        Assert.Equal("21474836480", vol.Element("capacity")?.Value);
        Assert.Equal("bytes", (string?)vol.Element("capacity")?.Attribute("unit"));
        Assert.Equal("0", vol.Element("allocation")?.Value);
        Assert.Equal("qcow2", (string?)vol.Element("target")?.Element("format")?.Attribute("type"));
        Assert.Equal("/var/lib/libvirt/images/base.qcow2", vol.Element("backingStore")?.Element("path")?.Value);
        Assert.Equal("qcow2", (string?)vol.Element("backingStore")?.Element("format")?.Attribute("type"));
    }

    [Fact]
    public void Volume_without_format_still_has_a_target()
    {
        XElement vol = XElement.Parse(StorageVolumeXml.Build(new VolumeDefinition { Name = "lv1", CapacityBytes = 1 << 20 }));
        Assert.NotNull(vol.Element("target"));
        Assert.Null(vol.Element("target")!.Element("format"));
        Assert.Null(vol.Element("backingStore"));
    }

    [Fact]
    public void Reads_a_volume_as_libvirt_writes_it()
    {
        const string xml = """
            <volume type='file'>
              <name>over.qcow2</name>
              <key>/srv/pool/over.qcow2</key>
              <capacity unit='bytes'>67108864</capacity>
              <allocation unit='bytes'>200704</allocation>
              <physical unit='bytes'>196616</physical>
              <target>
                <path>/srv/pool/over.qcow2</path>
                <format type='qcow2'/>
                <permissions><mode>0600</mode><owner>0</owner><group>0</group></permissions>
                <compat>0.10</compat>
              </target>
              <backingStore>
                <path>/srv/pool/base.qcow2</path>
                <format type='qcow2'/>
              </backingStore>
            </volume>
            """;
        VolumeDefinition v = StorageVolumeXml.Parse(xml);
        Assert.Equal("over.qcow2", v.Name);
        Assert.Equal("file", v.Type);
        Assert.Equal("/srv/pool/over.qcow2", v.Path);
        Assert.Equal("qcow2", v.Format);
        Assert.Equal(67108864UL, v.CapacityBytes);
        Assert.Equal(200704UL, v.AllocationBytes);
        Assert.Equal("/srv/pool/base.qcow2", v.BackingPath);
        Assert.Equal("qcow2", v.BackingFormat);
    }

    [Theory]
    [InlineData("<capacity>512</capacity>", 512UL)]
    [InlineData("<capacity unit='KiB'>4</capacity>", 4096UL)]
    [InlineData("<capacity unit='M'>2</capacity>", 2UL << 20)]
    [InlineData("<capacity unit='GB'>1</capacity>", 1_000_000_000UL)]
    [InlineData("<capacity unit='TiB'>1</capacity>", 1UL << 40)]
    public void Sizes_read_in_any_libvirt_unit(string element, ulong bytes)
    {
        Assert.Equal(bytes, StorageVolumeXml.ReadBytes(XElement.Parse(element)));
    }

    [Fact]
    public void Unknown_size_unit_is_an_error_not_a_wrong_number()
    {
        Assert.Throws<FormatException>(() => StorageVolumeXml.ReadBytes(XElement.Parse("<capacity unit='furlong'>1</capacity>")));
    }
}

using System.Xml.Linq;
using KvmPS.Engine.Domains;
using Xunit;

namespace KvmPS.Engine.Tests;

public sealed class OsInfoDatabaseTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kvmps-osinfo-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Root(string name, params (string File, string Xml)[] files)
    {
        string root = Path.Combine(_dir, name);
        foreach (var (file, xml) in files)
        {
            string path = Path.Combine(root, "os", file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, xml);
        }
        return root;
    }

    private const string Distro = """
        <?xml version="1.0" encoding="UTF-8"?>
        <libosinfo version="0.0.1">
          <!-- a comment the reader must pass over -->
          <os id="http://example.org/distro/1">
            <short-id>distro1</short-id>
            <short-id>distro-one</short-id>
            <name xml:lang="de">Distro Eins</name>
            <name>Distro 1</name>
            <version>1</version>
            <family>linux</family>
            <media arch="x86_64"><url>http://example.org/1.iso</url><volume-id>D1</volume-id></media>
            <resources arch="all"><minimum><ram>1073741824</ram></minimum></resources>
            <devices>
              <device id="http://pcisig.com/pci/1af4/1000"/>
              <device id="http://qemu.org/chipset/x86/q35"/>
            </devices>
            <installer><script id="http://example.org/script"/></installer>
          </os>
          <os id="http://example.org/distro/2">
            <short-id>distro2</short-id>
            <name>Distro 2</name>
            <derives-from id="http://example.org/distro/1"/>
            <devices><device id="http://pcisig.com/pci/1af4/1041"/></devices>
          </os>
        </libosinfo>
        """;

    [Fact]
    public void Reads_the_elements_it_needs_and_skips_the_rest()
    {
        var db = OsInfoDatabase.Load(new[] { Root("a", ("example.org/distro.xml", Distro)) });

        OsInfoEntry one = db.Find("distro-one")!;
        Assert.Equal("http://example.org/distro/1", one.Id);
        Assert.Equal(new[] { "distro1", "distro-one" }, one.ShortIds);
        Assert.Equal("Distro 1", one.Name); // the untranslated name, not the German one
        Assert.Equal("1", one.Version);
        Assert.Equal("linux", one.Family);
        Assert.Equal(2, one.OwnDevices.Count);

        OsInfoEntry two = db.Find("distro2")!;
        Assert.Equal(new[] { "http://example.org/distro/1" }, two.DerivesFrom);
        // Inherited q35 and virtio-net, plus its own virtio 1.0 NIC: q35 as virt-install picks it.
        Assert.True(db.SupportsQ35(two));
        Assert.True(db.SupportsVirtioNet(two));
        Assert.False(db.SupportsQ35(one)); // virtio-net without virtio 1.0
    }

    [Fact]
    public void A_broken_file_hides_nothing_else_and_later_roots_win()
    {
        string first = Root("first", ("example.org/distro.xml", Distro), ("broken/bad.xml", "<libosinfo><os id='x'><short-id>bad"));
        string second = Root("second", ("override.xml", """
            <libosinfo><os id="http://example.org/distro/2"><short-id>distro2</short-id><name>Distro 2 (local)</name></os></libosinfo>
            """));
        var db = OsInfoDatabase.Load(new[] { first, second });

        Assert.Null(db.Find("bad"));
        Assert.NotNull(db.Find("distro1"));
        Assert.Equal("Distro 2 (local)", db.Find("distro2")!.Name);
        Assert.Equal(2, db.Entries.Count);
    }

    [FactNeedsOsInfo]
    public void Reads_the_system_database_as_a_full_parse_of_each_file_does()
    {
        // The reference: every <os> of every file, loaded whole; the parts of one id (an OS and
        // the driver files that add to it) taken together, as libosinfo does.
        var expected = new Dictionary<string, XElement>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles("/usr/share/osinfo/os", "*.xml", SearchOption.AllDirectories))
        {
            foreach (XElement os in XElement.Load(file).Elements("os"))
            {
                string id = (string?)os.Attribute("id") ?? "";
                if (!expected.TryGetValue(id, out XElement? all))
                {
                    expected[id] = all = new XElement("os");
                }
                all.Add(os.Elements());
            }
        }
        var db = OsInfoDatabase.Load(new[] { "/usr/share/osinfo" });

        Assert.Equal(expected.Count, db.Entries.Count);
        foreach (OsInfoEntry e in db.Entries)
        {
            XElement os = expected[e.Id];
            Assert.Equal(os.Elements("short-id").Select(x => x.Value.Trim()).Distinct(), e.ShortIds);
            Assert.Equal(os.Elements("derives-from").Select(x => (string)x.Attribute("id")!).Distinct(), e.DerivesFrom);
            Assert.Equal(os.Elements("devices").Elements("device").Select(d => (string)d.Attribute("id")!).Distinct().Count(),
                e.OwnDevices.Count);
        }
    }
}

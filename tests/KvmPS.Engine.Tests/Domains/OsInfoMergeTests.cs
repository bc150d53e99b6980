using KvmPS.Engine.Domains;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>An OS spread over several files (the OS, then driver files under the same id) is one entry.</summary>
public sealed class OsInfoMergeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kvmps-osinfo-merge-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Base = """
        <libosinfo version="0.0.1">
          <os id="http://example.org/win/1"><short-id>w1</short-id><name>W 1</name><family>winnt</family>
            <devices><device id="http://qemu.org/chipset/x86/q35"/><device id="http://pcisig.com/pci/1b36/0004"/></devices>
          </os>
        </libosinfo>
        """;

    private const string Main = """
        <libosinfo version="0.0.1">
          <os id="http://example.org/win/2"><short-id>w2</short-id><name>W 2</name><family>winnt</family>
            <derives-from id="http://example.org/win/1"/>
            <firmware arch="x86_64" type="efi"/>
            <firmware arch="x86_64" type="bios" supported="false"/>
            <devices><device id="http://pcisig.com/pci/1b36/0004" supported="false"/></devices>
          </os>
        </libosinfo>
        """;

    // What win-10.d/*-installable-drivers.xml look like: the id, short id and name, then drivers.
    private const string Drivers = """
        <libosinfo version="0.0.1">
          <os id="http://example.org/win/2"><short-id>w2</short-id><name>W 2</name>
            <driver arch="x86_64" location="http://example.org/drivers" pre-installable="true"><file>viostor.inf</file></driver>
          </os>
        </libosinfo>
        """;

    [Theory]
    [InlineData("a-main.xml", "b-drivers.xml")]
    [InlineData("b-main.xml", "a-drivers.xml")]
    public void Driver_files_keep_the_relations_devices_and_firmware_in_either_order(string mainFile, string driverFile)
    {
        string os = Path.Combine(_dir, "os", "example.org");
        Directory.CreateDirectory(Path.Combine(os, "w2.d"));
        File.WriteAllText(Path.Combine(os, "w1.xml"), Base);
        File.WriteAllText(Path.Combine(os, mainFile), Main);
        File.WriteAllText(Path.Combine(os, "w2.d", driverFile), Drivers);

        var db = OsInfoDatabase.Load(new[] { _dir });
        OsInfoEntry w2 = db.Find("w2")!;
        Assert.Single(db.Entries, e => e.Id == w2.Id);
        Assert.Equal(new[] { "w2" }, w2.ShortIds);
        Assert.Equal(new[] { "http://example.org/win/1" }, w2.DerivesFrom);
        Assert.Equal("winnt", w2.Family);
        Assert.Equal("W 2", w2.Name);
        VmOsDefaults d = VmOsDefaults.Of(db, w2);
        Assert.True(d.Q35);
        Assert.False(d.Usb3); // the nearer entry's supported="false" wins over the parent's device
        Assert.True(d.RequiresEfi);
        Assert.True(d.IsWindows);
        Assert.False(db.SupportsFirmware(w2, "x86_64", "bios"));
        Assert.Null(db.SupportsFirmware(db.Find("w1")!, "x86_64", "efi"));
    }
}

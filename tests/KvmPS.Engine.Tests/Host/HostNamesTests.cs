using KvmPS.Engine.Host;
using KvmPS.Engine.HostChecks;
using KvmPS.Engine.Networks;
using Xunit;

namespace KvmPS.Engine.Tests;

public sealed class HostNamesTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"kvmps-hostnames-{Guid.NewGuid():N}");

    public HostNamesTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Dir(string path) => Directory.CreateDirectory(Path.Combine(_root, path.TrimStart('/')));

    private void File(string path, string text)
    {
        string full = Path.Combine(_root, path.TrimStart('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        System.IO.File.WriteAllText(full, text);
    }

    [Fact]
    public void Bridges_are_the_interfaces_with_a_bridge_directory()
    {
        Dir("/sys/class/net/br0/bridge");
        Dir("/sys/class/net/virbr1/bridge");
        Dir("/sys/class/net/eth0");
        Dir("/sys/class/net/lo");
        Assert.Equal(new[] { "br0", "virbr1" }, new DaemonHostView(new HostFileSystem(_root)).ListBridges());
    }

    [Fact]
    public void Bridges_come_from_the_network_drivers_namespace_when_its_pid_is_known()
    {
        Dir("/sys/class/net/br-outside/bridge");
        File("/run/libvirt/network/driver.pid", "4242\n");
        Dir("/proc/4242/net");
        Dir("/proc/4242/root/sys/class/net/br-inside/bridge");
        Dir("/proc/4242/root/sys/class/net/veth0");
        Assert.Equal(new[] { "br-inside" }, new DaemonHostView(new HostFileSystem(_root)).ListBridges());
    }

    [Fact]
    public void No_sysfs_means_no_bridges()
    {
        Dir("/etc");
        Assert.Empty(new DaemonHostView(new HostFileSystem(_root)).ListBridges());
    }

    [Theory]
    [InlineData("<interface type='bridge' name='br0'><bridge/></interface>", "br0")]
    [InlineData("<interface type='ethernet' name='eth1'/>", null)]
    [InlineData("<interface type='bond' name='bond0'/>", null)]
    public void An_interface_definition_names_a_bridge_only_when_it_is_one(string xml, string? expected) =>
        Assert.Equal(expected, HostNames.BridgeName(xml));

    [Fact]
    public void The_test_drivers_interface_api_lists_bridges_of_a_private_host()
    {
        string file = Path.Combine(_root, "host.xml");
        File("/host.xml", "<node><interface type='bridge' name='br-lab'><bridge><interface type='ethernet' name='eth7'/></bridge></interface>"
            + "<interface type='ethernet' name='eth9'/></node>");
        using var conn = LibvirtConnection.Open("test://" + file);
        Assert.Equal(new[] { "br-lab" }, HostNames.InterfaceBridges(conn));
        // The test driver's host is simulated: the machine's own /sys is not asked for it.
        Assert.Equal(new[] { "br-lab" }, HostNames.Bridges(conn, new HostFileSystem(_root)));
    }

    private const string Capabilities = """
        <capabilities>
          <host><cpu><arch>x86_64</arch><feature name='vmx'/><feature name='x2apic'/></cpu></host>
          <guest>
            <os_type>hvm</os_type>
            <arch name='x86_64'>
              <machine maxCpus='255'>pc-i440fx-7.2</machine>
              <machine canonical='pc-i440fx-7.2' maxCpus='255'>pc</machine>
              <machine maxCpus='288'>pc-q35-7.2</machine>
              <machine canonical='pc-q35-7.2' maxCpus='288'>q35</machine>
              <domain type='qemu'/>
              <domain type='kvm'><machine>pc-q35-kvm-only</machine></domain>
            </arch>
          </guest>
          <guest>
            <os_type>hvm</os_type>
            <arch name='aarch64'><machine>virt</machine><domain type='qemu'/></arch>
          </guest>
        </capabilities>
        """;

    [Fact]
    public void Machine_types_are_the_hosts_architectures_aliases_and_canonical_names() =>
        Assert.Equal(new[] { "pc", "pc-i440fx-7.2", "pc-q35-7.2", "pc-q35-kvm-only", "q35" }, HostNames.MachineTypes(Capabilities, null));

    [Fact]
    public void Machine_types_of_another_architecture_when_asked() =>
        Assert.Equal(new[] { "virt" }, HostNames.MachineTypes(Capabilities, "aarch64"));

    [Fact]
    public void Cpu_map_features_are_read_for_the_architecture_family()
    {
        File("/usr/share/libvirt/cpu_map/x86_features.xml", "<cpus><feature name='x2apic'><cpuid/></feature><feature name='avx512f'/></cpus>");
        var fs = new HostFileSystem(_root);
        Assert.Equal(new[] { "x2apic", "avx512f" }, HostNames.CpuMapFeatures(fs, "x86_64"));
        Assert.Equal(new[] { "x2apic", "avx512f" }, HostNames.CpuMapFeatures(fs, "i686"));
        Assert.Empty(HostNames.CpuMapFeatures(fs, "aarch64"));
        Assert.Empty(HostNames.CpuMapFeatures(fs, "s390x"));
    }

    [Fact]
    public void A_broken_cpu_map_gives_no_features_instead_of_an_error()
    {
        File("/usr/share/libvirt/cpu_map/x86_features.xml", "<cpus><feature");
        Assert.Empty(HostNames.CpuMapFeatures(new HostFileSystem(_root), "x86_64"));
    }

    [Fact]
    public void Domain_capabilities_give_the_host_model_features() =>
        Assert.Equal(new[] { "ss", "pdpe1gb" }, HostNames.DomainCapabilityFeatures("""
            <domainCapabilities><cpu>
              <mode name='host-model' supported='yes'><model>Skylake</model><feature policy='require' name='ss'/><feature policy='require' name='pdpe1gb'/></mode>
              <mode name='custom' supported='yes'><model usable='yes'>qemu64</model></mode>
            </cpu><devices><disk><enum name='bus'><value>virtio</value></enum></disk></devices></domainCapabilities>
            """));

    [Fact]
    public void Cpu_models_and_features_of_the_test_driver()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        Assert.Contains("Skylake-Client", HostNames.CpuModels(conn, "x86_64"));
        var fs = new HostFileSystem(_root);
        File("/usr/share/libvirt/cpu_map/x86_features.xml", "<cpus><feature name='x2apic'/></cpus>");
        // The test host is i686: its map family is x86.
        Assert.Contains("x2apic", HostNames.CpuFeatures(conn, fs));
    }

    [Fact]
    public void Macs_of_a_network_are_its_reservations_and_the_adapters_on_it()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        Assert.Contains("aa:bb:cc:dd:ee:ff", HostNames.NetworkMacAddresses(conn, "default"));
        Assert.Empty(HostNames.NetworkMacAddresses(conn, "no-such-network"));
    }
}

using KvmPS.Engine.Conversion;
using Xunit;

namespace KvmPS.Engine.Tests.Conversion;

/// <summary>What ConvertTo-KvmKubeVirt maps, approximates and lists as unmapped, one domain feature at a time.</summary>
public class KubeVirtMappingTests
{
    private const string Head = "<domain type='kvm'><name>Web_01</name><memory unit='MiB'>2048</memory><vcpu>2</vcpu><os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os>";

    private static (KvmKubeVirtManifest M, Dictionary<string, object?> Vm) Convert(string devices, string extra = "", KubeVirtOptions? o = null)
    {
        var m = KubeVirtConverter.Convert(Head + extra + "<devices>" + devices + "</devices></domain>", o ?? new KubeVirtOptions());
        var vm = (Dictionary<string, object?>)YamlTree.ReadAll(m.Yaml)[0]!;
        Assert.Empty(KubeVirtSchemas.KubeVirt.Validate(vm, "v1.VirtualMachine"));
        return (m, vm);
    }

    private static object? Spec(Dictionary<string, object?> vm, string path) => TreeDiff.At(vm, "spec.template.spec." + path);

    [Fact]
    public void Name_becomes_a_dns_label_and_keeps_the_original_in_an_annotation()
    {
        var (m, vm) = Convert("");
        Assert.Equal("web-01", m.Name);
        Assert.Equal("Web_01", TreeDiff.At(vm, "metadata.annotations.kvmps.dev/libvirt-name") ?? ((Dictionary<string, object?>)TreeDiff.At(vm, "metadata.annotations")!)["kvmps.dev/libvirt-name"]);
        Assert.Equal("Halted", TreeDiff.At(vm, "spec.runStrategy"));
        Assert.Equal(false, Spec(vm, "domain.devices.autoattachPodInterface"));
    }

    [Fact]
    public void Direct_nic_and_host_paths_are_listed_never_dropped()
    {
        var (m, vm) = Convert(
            "<interface type='direct'><mac address='52:54:00:00:00:09'/><source dev='eth0' mode='bridge'/></interface>" +
            "<filesystem type='mount'><source dir='/srv/share'/><target dir='share'/></filesystem>" +
            "<serial type='file'><source path='/var/log/web.log'/></serial><sound model='ich9'/>",
            "<os><kernel>/boot/vmlinuz</kernel></os>");
        Assert.Contains(m.Unmapped, u => u.Contains("type direct on eth0 mode bridge") && u.Contains("52:54:00:00:00:09"));
        Assert.Contains(m.Unmapped, u => u.Contains("/srv/share"));
        Assert.Contains(m.Unmapped, u => u.Contains("/var/log/web.log"));
        Assert.Contains(m.Unmapped, u => u.Contains("<sound>"));
        Assert.Null(Spec(vm, "domain.devices.interfaces"));
    }

    [Fact]
    public void Bridge_nic_becomes_a_multus_network_with_bridge_binding_and_the_mac()
    {
        var (m, vm) = Convert("<interface type='network'><source network='default'/></interface><interface type='bridge'><mac address='52:54:00:00:00:10'/><source bridge='br0'/><model type='e1000e'/></interface>");
        var ifaces = (List<object?>)Spec(vm, "domain.devices.interfaces")!;
        Assert.Equal(2, ifaces.Count);
        var second = (Dictionary<string, object?>)ifaces[1]!;
        Assert.True(second.ContainsKey("bridge"));
        Assert.Equal("52:54:00:00:00:10", second["macAddress"]);
        Assert.Equal("e1000e", second["model"]);
        var nets = (List<object?>)Spec(vm, "networks")!;
        Assert.Equal("br0", TreeDiff.At(nets[1], "multus.networkName"));
        Assert.Contains(m.Notes, n => n.Contains("NetworkAttachmentDefinition"));
    }

    [Fact]
    public void Pci_gpu_goes_to_gpus_and_other_pci_devices_to_hostdevices()
    {
        var o = new KubeVirtOptions { PciLookup = a => a == "0000:65:00.0" ? new KubeVirtPciInfo("10de", "1eb8", "030200") : a == "0000:3b:00.0" ? new KubeVirtPciInfo("8086", "0b60", "010802") : null };
        var (m, vm) = Convert(
            "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x65' slot='0x00' function='0x0'/></source></hostdev>" +
            "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x3b' slot='0x00' function='0x0'/></source></hostdev>" +
            "<hostdev mode='subsystem' type='scsi'><source><adapter name='scsi_host0'/><address bus='0' target='0' unit='0'/></source></hostdev>", o: o);
        Assert.Equal("pci.kvmps.dev/10de_1eb8", TreeDiff.At(((List<object?>)Spec(vm, "domain.devices.gpus")!)[0], "deviceName"));
        Assert.Equal("pci.kvmps.dev/8086_0b60", TreeDiff.At(((List<object?>)Spec(vm, "domain.devices.hostDevices")!)[0], "deviceName"));
        Assert.Contains(m.Notes, n => n.Contains("pciVendorSelector \"10de:1eb8\""));
        Assert.Contains(m.Unmapped, u => u.Contains("type scsi"));
    }

    [Fact]
    public void Bios_i440fx_kernel_boot_and_ide_cdrom_are_said_so()
    {
        string xml = "<domain type='kvm'><name>old</name><memory unit='MiB'>1024</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type><kernel>/k</kernel><initrd>/i</initrd><cmdline>ro</cmdline></os>" +
            "<devices><disk type='file' device='cdrom'><source file='/iso/x.iso'/><target dev='hdc' bus='ide'/><readonly/></disk><disk type='file' device='cdrom'><target dev='hdd' bus='ide'/></disk></devices></domain>";
        var m = KubeVirtConverter.Convert(xml, new KubeVirtOptions { DiskSource = KvmKubeVirtDiskSource.Pvc, StorageClass = "local" });
        Assert.Contains(m.Unmapped, u => u.Contains("pc-i440fx-7.2"));
        Assert.Contains(m.Unmapped, u => u.Contains("/k") && u.Contains("kernel"));
        Assert.Contains(m.Unmapped, u => u.Contains("Empty cdrom drive hdd"));
        Assert.Contains(m.Notes, n => n.Contains("hdc on bus ide → sata"));
        Assert.Equal("virtctl image-upload pvc old-hdc --size=10Gi --image-path=/iso/x.iso --storage-class=local", Assert.Single(m.UploadSteps));
    }

    [Fact]
    public void Pins_without_huge_pages_keep_numa_unmapped_and_shared_emulator_pins_are_listed()
    {
        var (m, vm) = Convert("", "<cputune><vcpupin vcpu='0' cpuset='1'/><vcpupin vcpu='1' cpuset='2'/><emulatorpin cpuset='1-2'/></cputune>" +
            "<cpu mode='host-model'><topology sockets='1' cores='2' threads='1'/><numa><cell id='0' cpus='0-1' memory='2048' unit='MiB'/></numa></cpu>");
        Assert.Equal(true, Spec(vm, "domain.cpu.dedicatedCpuPlacement"));
        Assert.Null(Spec(vm, "domain.cpu.isolateEmulatorThread"));
        Assert.Null(Spec(vm, "domain.cpu.numa"));
        Assert.Contains(m.Unmapped, u => u.Contains("Emulator pin on host CPUs 1-2"));
        Assert.Contains(m.Unmapped, u => u.Contains("Guest NUMA cells"));
        Assert.Equal("2", TreeDiff.At(vm, "spec.template.spec.domain.resources.limits.cpu"));
    }

    [Fact]
    public void Yaml_quotes_what_would_read_back_as_another_type()
    {
        foreach (string s in new[] { "1", "0x1f", "true", "yes", "no", "on", "null", "1.5", "1e3", "2024-01-01", "52:54:00:12:34:56", "" })
        {
            Assert.False(YamlText.IsPlain(s), s);
            Assert.Equal(s, YamlTree.Read(YamlText.Write(new YamlMap { { "k", s } })) is Dictionary<string, object?> d ? d["k"] : null);
        }
        foreach (string s in new[] { "8Gi", "250m", "q35", "host-passthrough", "kubevirt.io/domain", "0-3" })
        {
            Assert.True(YamlText.IsPlain(s), s);
        }
    }
}

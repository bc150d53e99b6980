using KvmPS.Engine.Conversion;
using KvmPS.Engine.HostChecks;
using KvmPS.Engine.HostChecks.Kata;
using Xunit;

namespace KvmPS.Engine.Tests.Conversion;

/// <summary>Test-KvmHost -Profile Kata (kata-check's rules) on fixture hosts and this machine, the TOML reader, and the RuntimeClass.</summary>
public class KataTests
{
    private static KvmHostReport Run(string fixture) =>
        HostChecker.RunProfile(new HostCheckContext(new HostFileSystem(HostCheckTests.Fixture(fixture)), "test:///default", () => LibvirtConnection.Open("test:///default")), "Kata");

    private static KvmHostCheck Get(KvmHostReport r, string name) => r.Checks.Single(c => c.Name == name);

    [Fact]
    public void Kata_ready_host_passes_every_kata_rule()
    {
        KvmHostReport r = Run("kata-ready");
        Assert.Equal(HostCheckNames.Kata, r.Checks.Select(c => c.Name));
        Assert.Equal(KvmCheckStatus.Pass, Get(r, HostCheckNames.KataCpu).Status);
        KvmHostCheck modules = Get(r, HostCheckNames.KataModules);
        Assert.Equal(KvmCheckStatus.Pass, modules.Status);
        Assert.Contains("vhost_vsock loaded", modules.Message);
        Assert.Contains("unrestricted_guest=Y", modules.Message);
        KvmHostCheck runtime = Get(r, HostCheckNames.KataRuntime);
        Assert.Equal(KvmCheckStatus.Pass, runtime.Status);
        // What the configuration says, as the seed's Case 2 shows it.
        Assert.Contains("/opt/kata/bin/qemu-system-x86_64", runtime.Message);
        Assert.Contains("kernel /opt/kata/share/kata-containers/vmlinux.container", runtime.Message);
        Assert.Contains("machine type q35", runtime.Message);
        Assert.Contains("annotations [enable_iommu, virtio_fs_extra_args, kernel_params]", runtime.Message);
        Assert.Equal(KvmCheckStatus.Pass, Get(r, HostCheckNames.KvmDevice).Status);
    }

    [Fact]
    public void Host_without_vhost_vsock_fails_with_the_modprobe_remedy()
    {
        KvmHostCheck c = Get(Run("kata-no-vsock"), HostCheckNames.KataModules);
        Assert.Equal(KvmCheckStatus.Fail, c.Status);
        Assert.Contains("vhost_vsock is not loaded", c.Message);
        Assert.Contains("modprobe vhost_vsock", c.Remedy);
        Assert.DoesNotContain("unrestricted_guest=1", c.Remedy);
    }

    [Fact]
    public void Host_without_unrestricted_guest_fails_with_the_module_option()
    {
        KvmHostCheck c = Get(Run("kata-no-unrestricted"), HostCheckNames.KataModules);
        Assert.Equal(KvmCheckStatus.Fail, c.Status);
        Assert.Contains("unrestricted_guest is 'N'", c.Message);
        Assert.Contains("modprobe kvm_intel unrestricted_guest=1", c.Remedy);
        Assert.Contains("/etc/modprobe.d/kvm_intel.conf", c.Remedy);
    }

    [Fact]
    public void Host_without_virtualization_or_kata_fails_cpu_and_runtime()
    {
        KvmHostReport r = Run("no-virt");
        Assert.Equal(KvmCheckStatus.Fail, Get(r, HostCheckNames.KataCpu).Status);
        Assert.Contains("vmx on 0 of", Get(r, HostCheckNames.KataCpu).Message);
        Assert.Equal(KvmCheckStatus.Fail, Get(r, HostCheckNames.KataRuntime).Status);
        Assert.Contains("Install Kata Containers", Get(r, HostCheckNames.KataRuntime).Remedy);
    }

    [Fact]
    public void This_machine_is_judged_by_its_own_cpuinfo_and_modules()
    {
        var fs = new HostFileSystem("/");
        KvmHostReport r = HostChecker.RunProfile(new HostCheckContext(fs, "test:///default", () => LibvirtConnection.Open("test:///default")), "Kata");
        CpuInfo cpu = CpuInfo.Parse(File.ReadAllText("/proc/cpuinfo"));
        string virt = cpu.IsAmd ? "svm" : "vmx";
        bool cpuOk = new[] { virt, "lm", "sse4_1" }.All(f => cpu.Count(f) == cpu.Processors);
        Assert.Equal(cpuOk ? KvmCheckStatus.Pass : KvmCheckStatus.Fail, Get(r, HostCheckNames.KataCpu).Status);
        bool vsock = File.Exists("/proc/modules") && File.ReadAllLines("/proc/modules").Any(l => l.StartsWith("vhost_vsock ", StringComparison.Ordinal)) || Directory.Exists("/sys/module/vhost_vsock");
        Assert.Equal(vsock, Get(r, HostCheckNames.KataModules).Message.Contains("vhost_vsock loaded") || Get(r, HostCheckNames.KataModules).Message.Contains("vhost_vsock built in"));
        Assert.Equal(5, r.Checks.Length);
    }

    [Fact]
    public void Toml_reader_reads_tables_strings_arrays_and_numbers()
    {
        var v = TomlReader.Read("a = 1\n[t.u] # comment\ns = \"x # not a comment\"\nl = 'lit\\eral'\narr = [\n \"p\",\n 'q', # c\n]\nb = true\nf = 1.5\nh = 0x10\n");
        Assert.Equal(1L, v["a"]);
        Assert.Equal("x # not a comment", v["t.u.s"]);
        Assert.Equal("lit\\eral", v["t.u.l"]);
        Assert.Equal(new object[] { "p", "q" }, (object[])v["t.u.arr"]);
        Assert.Equal(true, v["t.u.b"]);
        Assert.Equal(1.5, v["t.u.f"]);
        Assert.Equal(16L, v["t.u.h"]);
        Assert.Throws<FormatException>(() => TomlReader.Read("[broken\nx = 1"));
        Assert.Throws<FormatException>(() => TomlReader.Read("x = \"open"));
        Assert.Throws<FormatException>(() => TomlReader.Read("just words"));
    }

    [Fact]
    public void Broken_configuration_fails_naming_the_line()
    {
        string root = Path.Combine(Path.GetTempPath(), $"kvmps-kata-{Environment.ProcessId}");
        try
        {
            string cfg = Path.Combine(root, "etc/kata-containers");
            Directory.CreateDirectory(cfg);
            File.WriteAllText(Path.Combine(cfg, "configuration.toml"), "[hypervisor.qemu]\npath = \"/x\nkernel = 1\n");
            var r = HostChecker.RunProfile(new HostCheckContext(new HostFileSystem(root), "test:///default", null), "Kata");
            KvmHostCheck c = Get(r, HostCheckNames.KataRuntime);
            Assert.Equal(KvmCheckStatus.Fail, c.Status);
            Assert.Contains("cannot be read as TOML: line 2", c.Message);
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    [Fact]
    public void RuntimeClass_is_valid_and_equals_the_seeds()
    {
        string yaml = KataRuntimeClass.Write("kata-qemu", null, "250m", 160UL << 20, new Dictionary<string, string> { ["katacontainers.io/kata-runtime"] = "true" });
        var tree = YamlTree.Read(yaml);
        Assert.Empty(KubeVirtSchemas.Node.Validate(tree, "io.k8s.api.node.v1.RuntimeClass"));
        var diffs = new List<string>();
        TreeDiff.Compare(YamlTree.Read(File.ReadAllText(KubeVirtSchemas.Kubevirt("case2-runtimeclass.yaml"))), tree, "rc", diffs);
        Assert.Empty(diffs);
        Assert.Equal("true", TreeDiff.At(tree, "scheduling.nodeSelector")! is Dictionary<string, object?> sel ? sel["katacontainers.io/kata-runtime"] : null);
        // The schema catches what a RuntimeClass must not be: no handler, a number as a quantity's map.
        Assert.NotEmpty(KubeVirtSchemas.Node.Validate(YamlTree.Read("apiVersion: node.k8s.io/v1\nkind: RuntimeClass\noverhead:\n  podFixed: 5\n"), "io.k8s.api.node.v1.RuntimeClass"));
    }

    [Theory]
    [InlineData("250m", true)]
    [InlineData("0.5", true)]
    [InlineData("2", true)]
    [InlineData("lots", false)]
    [InlineData("1.2345", false)]
    public void Cpu_quantities(string text, bool ok) => Assert.Equal(ok, KataRuntimeClass.IsCpuQuantity(text));
}

using KvmPS.Engine.Conversion;
using Xunit;

namespace KvmPS.Engine.Tests.Conversion;

/// <summary>The seed's Case 1: a tuned database VM lifted into KubeVirt, compared field by field with the manifest the case describes.</summary>
public class KubeVirtCase1Tests
{
    internal static KvmKubeVirtManifest Convert() => KubeVirtConverter.Convert(File.ReadAllText(KubeVirtSchemas.Kubevirt("case1-domain.xml")), new KubeVirtOptions
    {
        DiskSource = KvmKubeVirtDiskSource.DataVolume,
        StorageClass = "fast-ssd",
        Namespace = "databases",
        Running = true,
        CloudInitUserData = File.ReadAllText(KubeVirtSchemas.Kubevirt("case1-user-data.yaml")),
        DiskSize = p => p.EndsWith("pg-primary.qcow2", StringComparison.Ordinal) ? 40UL << 30 : p.EndsWith("-data.raw", StringComparison.Ordinal) ? 100UL << 30 : null,
    });

    [Fact]
    public void Case1_manifest_equals_the_seed_field_by_field()
    {
        KvmKubeVirtManifest m = Convert();
        var expected = YamlTree.ReadAll(File.ReadAllText(KubeVirtSchemas.Kubevirt("case1-manifest.yaml")));
        var actual = YamlTree.ReadAll(m.Yaml);
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            var diffs = new List<string>();
            TreeDiff.Compare(expected[i], actual[i], $"doc{i}", diffs);
            Assert.True(diffs.Count == 0, string.Join("\n", diffs) + "\n--- actual:\n" + m.Yaml);
        }
    }

    [Fact]
    public void Case1_maps_its_tuning_and_lists_what_it_approximates()
    {
        KvmKubeVirtManifest m = Convert();
        var vm = (Dictionary<string, object?>)YamlTree.ReadAll(m.Yaml)[0]!;
        var cpu = TreeDiff.At(vm, "spec.template.spec.domain.cpu");
        Assert.Equal(true, TreeDiff.At(cpu, "dedicatedCpuPlacement"));
        Assert.Equal(true, TreeDiff.At(cpu, "isolateEmulatorThread"));
        Assert.NotNull(TreeDiff.At(cpu, "numa.guestMappingPassthrough"));
        Assert.Equal("1Gi", TreeDiff.At(vm, "spec.template.spec.domain.memory.hugepages.pageSize"));
        Assert.Equal(true, TreeDiff.At(vm, "spec.template.spec.domain.firmware.bootloader.efi.secureBoot"));
        // Two disks to upload; the seed ISO became cloudInitNoCloud.
        Assert.Equal(2, m.UploadSteps.Length);
        Assert.All(m.UploadSteps, s => Assert.StartsWith("virtctl image-upload dv pg-primary-", s));
        Assert.Contains(m.Notes, n => n.Contains("guestMappingPassthrough"));
        Assert.Contains(m.Notes, n => n.Contains("pc-q35-7.2 → q35"));
        Assert.Empty(m.Unmapped);
    }
}

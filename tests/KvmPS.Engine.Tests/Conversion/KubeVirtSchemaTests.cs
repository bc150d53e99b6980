using KvmPS.Engine.Conversion;
using Xunit;

namespace KvmPS.Engine.Tests.Conversion;

/// <summary>Every manifest ConvertTo-KvmKubeVirt writes is valid by KubeVirt's and CDI's published OpenAPI schemas.</summary>
public class KubeVirtSchemaTests
{
    private static string Domains(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "domains", name);

    public static IEnumerable<object[]> CorpusDomains() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "fixtures", "domains"), "*.xml").OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => new object[] { Path.GetFileName(f) });

    private static void AssertValid(KvmKubeVirtManifest m, string what)
    {
        var docs = YamlTree.ReadAll(m.Yaml);
        Assert.Equal(1 + m.DataVolumeYaml.Length, docs.Count);
        var errors = KubeVirtSchemas.KubeVirt.Validate(docs[0], "v1.VirtualMachine");
        foreach (var dv in docs.Skip(1))
        {
            errors.AddRange(KubeVirtSchemas.Cdi.Validate(dv, "v1beta1.DataVolume"));
        }
        Assert.True(errors.Count == 0, $"{what}:\n{string.Join("\n", errors)}\n---\n{m.Yaml}");
        var vm = (Dictionary<string, object?>)docs[0]!;
        Assert.Equal("kubevirt.io/v1", vm["apiVersion"]);
        Assert.Equal("VirtualMachine", vm["kind"]);
        Assert.True(KubeVirtQuantity.IsDnsLabel((string)TreeDiff.At(vm, "metadata.name")!));
    }

    [Theory]
    [MemberData(nameof(CorpusDomains))]
    public void Corpus_domain_converts_to_a_valid_manifest_in_every_disk_source(string file)
    {
        string xml = File.ReadAllText(Domains(file));
        foreach (KvmKubeVirtDiskSource source in Enum.GetValues<KvmKubeVirtDiskSource>())
        {
            var m = KubeVirtConverter.Convert(xml, new KubeVirtOptions { DiskSource = source, Namespace = "vms", StorageClass = "standard", Running = source == KvmKubeVirtDiskSource.Pvc });
            AssertValid(m, $"{file} ({source})");
            // Every disk volume has its step, and no step without a volume.
            int volumes = YamlTree.ReadAll(m.Yaml)[0] is Dictionary<string, object?> vm && TreeDiff.At(vm, "spec.template.spec")
                is Dictionary<string, object?> spec && spec.TryGetValue("volumes", out var v) && v is List<object?> l
                ? l.Cast<Dictionary<string, object?>>().Count(x => !x.ContainsKey("cloudInitNoCloud")) : 0;
            Assert.Equal(source == KvmKubeVirtDiskSource.ContainerDisk ? 3 * volumes : volumes, m.UploadSteps.Length);
        }
    }

    [Fact]
    public void The_corpus_is_large_and_varied_enough()
    {
        var files = CorpusDomains().Select(o => (string)o[0]).ToList();
        Assert.True(files.Count >= 15, $"only {files.Count} corpus domains");
        var manifests = files.Select(f => KubeVirtConverter.Convert(File.ReadAllText(Domains(f)), new KubeVirtOptions())).ToList();
        // The corpus reaches the mappings that matter: pins, NUMA, huge pages, UEFI, host devices, CD-ROMs, NICs.
        string all = string.Join("\n", manifests.Select(m => m.Yaml));
        foreach (string key in new[] { "dedicatedCpuPlacement", "hugepages", "efi:", "cdrom:", "masquerade", "hostDevices", "machine:" })
        {
            Assert.Contains(key, all);
        }
        Assert.Contains(manifests, m => m.Unmapped.Length > 0);
    }

    [Fact]
    public void Case1_is_valid()
    {
        AssertValid(KubeVirtCase1Tests.Convert(), "case 1");
    }

    [Fact]
    public void The_validator_rejects_what_the_schemas_forbid()
    {
        string bad = """
            apiVersion: kubevirt.io/v1
            kind: VirtualMachine
            metadata:
              name: bad
            spec:
              template:
                spec:
                  domain:
                    cpu:
                      cores: "four"
                    devices:
                      disks:
                      - disk:
                          bus: virtio
                    noSuchField: 1
                  volumes:
                  - name: vda
                    containerDisk:
                      image: x
                      imagePullPolicy: Sometimes
            """;
        var errors = KubeVirtSchemas.KubeVirt.Validate(YamlTree.Read(bad), "v1.VirtualMachine");
        Assert.Contains(errors, e => e.Contains("cores") && e.Contains("integer"));
        Assert.Contains(errors, e => e.Contains("required property 'name'"));
        Assert.Contains(errors, e => e.Contains("noSuchField"));
        Assert.Contains(errors, e => e.Contains("Sometimes"));
        var noSpec = KubeVirtSchemas.Cdi.Validate(YamlTree.Read("apiVersion: cdi.kubevirt.io/v1beta1\nkind: DataVolume\n"), "v1beta1.DataVolume");
        Assert.Contains(noSpec, e => e.Contains("required property 'spec'"));
    }
}

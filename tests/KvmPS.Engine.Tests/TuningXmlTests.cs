using System.Xml.Linq;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Tuning;
using Xunit;

namespace KvmPS.Engine.Tests;

// The XML edits of CPU, pins, NUMA and memory: what they write, and that a refused request leaves
// the element exactly as it was.
public class TuningXmlTests
{
    private static XElement Domain(int vcpus = 4, ulong memKiB = 4194304, string extra = "") => XElement.Parse($"""
        <domain type='kvm'>
          <name>t</name>
          <memory unit='KiB'>{memKiB}</memory>
          <currentMemory unit='KiB'>{memKiB}</currentMemory>
          <vcpu placement='static'>{vcpus}</vcpu>
          <os><type arch='x86_64' machine='q35'>hvm</type></os>
          {extra}
          <devices><memballoon model='virtio'><address type='pci' domain='0x0000' bus='0x05' slot='0x00' function='0x0'/></memballoon></devices>
        </domain>
        """);

    private static readonly ulong[] X86Pages = { 4, 2048, 1048576 };

    /// <summary>Asserts that the action is refused with the id and leaves the domain untouched.</summary>
    private static TuningException Refused(XElement d, string id, Action<XElement> action)
    {
        var before = new XElement(d);
        var e = Assert.Throws<TuningException>(() => action(d));
        Assert.Equal(id, e.ErrorId);
        Assert.True(XNode.DeepEquals(before, d), "the domain changed although the request was refused");
        return e;
    }

    [Fact]
    public void Host_passthrough_with_topology_cache_and_features()
    {
        XElement d = Domain();
        CpuXml.Apply(d, new CpuChange
        {
            Mode = KvmCpuMode.HostPassthrough, Sockets = 1, Cores = 2, Threads = 2, CachePassthrough = true,
            Features = new[] { "+x2apic", "-svm", "optional:pcid" },
        }, "AMD");
        XElement cpu = d.Element("cpu")!;
        Assert.Equal("host-passthrough", (string?)cpu.Attribute("mode"));
        Assert.Equal("sockets=\"1\" dies=\"1\" cores=\"2\" threads=\"2\"", string.Join(" ", cpu.Element("topology")!.Attributes()));
        Assert.Equal("passthrough", (string?)cpu.Element("cache")!.Attribute("mode"));
        Assert.Equal(new[] { "require:x2apic", "disable:svm", "optional:pcid" },
            cpu.Elements("feature").Select(f => $"{f.Attribute("policy")!.Value}:{f.Attribute("name")!.Value}"));
        // libvirt's order inside <cpu>.
        Assert.Equal(new[] { "topology", "cache", "feature", "feature", "feature" }, cpu.Elements().Select(e => e.Name.LocalName));

        KvmCpu read = CpuXml.Read(d, "t", "test:///default", true, "AMD");
        Assert.Equal(KvmCpuMode.HostPassthrough, read.Mode);
        Assert.Equal((1, 2, 2), (read.Sockets!.Value, read.Cores!.Value, read.Threads!.Value));
        Assert.Equal("+x2apic", read.Features[0].ToString());
        Assert.False(read.Nested);
    }

    [Fact]
    public void Topology_must_multiply_up_to_the_vcpu_count()
    {
        XElement d = Domain(vcpus: 4);
        var e = Refused(d, "TopologyMismatch", x => CpuXml.Apply(x, new CpuChange { Mode = KvmCpuMode.HostPassthrough, Sockets = 2, Cores = 2, Threads = 2 }, null));
        Assert.Contains("8 vCPUs", e.Message, StringComparison.Ordinal);
        // Unnamed parts default to the existing topology, else 1.
        CpuXml.Apply(d, new CpuChange { Sockets = 2, Cores = 2 }, null);
        Refused(d, "TopologyMismatch", x => CpuXml.Apply(x, new CpuChange { Threads = 2 }, null));
        CpuXml.Apply(d, new CpuChange { Cores = 1, Threads = 2 }, null);
        Assert.Equal("2", (string?)d.Element("cpu")!.Element("topology")!.Attribute("sockets"));
    }

    [Fact]
    public void Custom_mode_needs_a_known_model_and_other_modes_drop_it()
    {
        XElement d = Domain();
        Refused(d, "ModelRequired", x => CpuXml.Apply(x, new CpuChange { Mode = KvmCpuMode.Custom }, null));
        Refused(d, "UnknownCpuModel", x => CpuXml.Apply(x, new CpuChange { Mode = KvmCpuMode.Custom, Model = "Skylake-Nope" }, null, m => m == "Skylake-Server"));
        Refused(d, "ModelNeedsCustomMode", x => CpuXml.Apply(x, new CpuChange { Mode = KvmCpuMode.HostModel, Model = "Skylake-Server" }, null));
        CpuXml.Apply(d, new CpuChange { Model = "Skylake-Server" }, null, m => m == "Skylake-Server");
        Assert.Equal("custom", (string?)d.Element("cpu")!.Attribute("mode"));
        Assert.Equal("exact", (string?)d.Element("cpu")!.Attribute("match"));
        Assert.Equal("Skylake-Server", (string?)d.Element("cpu")!.Element("model"));

        CpuXml.Apply(d, new CpuChange { Mode = KvmCpuMode.HostModel }, null);
        Assert.Null(d.Element("cpu")!.Element("model"));
        Assert.Null(d.Element("cpu")!.Attribute("match"));
        Refused(d, "CacheNeedsPassthroughMode", x => CpuXml.Apply(x, new CpuChange { CachePassthrough = true }, null));
    }

    [Fact]
    public void Nested_follows_the_host_vendor()
    {
        XElement intel = Domain(), amd = Domain(), unknown = Domain();
        CpuXml.Apply(intel, new CpuChange { Mode = KvmCpuMode.HostPassthrough, Nested = true }, "Intel");
        CpuXml.Apply(amd, new CpuChange { Mode = KvmCpuMode.HostPassthrough, Nested = true }, "AMD");
        Assert.Equal("vmx", (string?)intel.Element("cpu")!.Element("feature")!.Attribute("name"));
        Assert.Equal("svm", (string?)amd.Element("cpu")!.Element("feature")!.Attribute("name"));
        Assert.True(CpuXml.Read(amd, "t", "u", true, "AMD").Nested);
        var e = Refused(unknown, "UnknownHostCpuVendor", x => CpuXml.Apply(x, new CpuChange { Nested = true }, null));
        Assert.Equal(TuningErrorKind.ResourceUnavailable, e.Kind);

        CpuXml.Apply(amd, new CpuChange { Nested = false }, "AMD");
        Assert.Equal("disable", (string?)amd.Element("cpu")!.Element("feature")!.Attribute("policy"));
        Assert.False(CpuXml.Read(amd, "t", "u", true, "AMD").Nested);
        Refused(amd, "ConflictingCpuFeature", x => CpuXml.Apply(x, new CpuChange { Features = new[] { "-svm" }, Nested = true }, "AMD"));
    }

    [Fact]
    public void Host_cpu_features_come_from_the_capabilities()
    {
        const string caps = "<capabilities><host><cpu><arch>x86_64</arch><vendor>AMD</vendor><feature name='x2apic'/><feature name='svm'/></cpu></host></capabilities>";
        Assert.Equal(new HashSet<string> { "x2apic", "svm" }, KvmPS.Engine.Domains.GuestCapabilities.HostCpuFeatures(caps));
        Assert.Empty(KvmPS.Engine.Domains.GuestCapabilities.HostCpuFeatures("<capabilities><host/></capabilities>"));
    }

    [Theory]
    [InlineData("+x2apic", "x2apic", "require")]
    [InlineData("-SVM", "svm", "disable")]
    [InlineData("avx2", "avx2", "require")]
    [InlineData("forbid:tsx-ctrl", "tsx-ctrl", "forbid")]
    public void Feature_specs(string spec, string name, string policy) =>
        Assert.Equal((name, policy), CpuXml.ParseFeature(spec));

    [Theory]
    [InlineData("+")]
    [InlineData("+x y")]
    [InlineData("maybe:x2apic")]
    [InlineData("+x2apic;rm")]
    public void Bad_feature_specs(string spec) =>
        Assert.Equal("InvalidCpuFeature", Assert.Throws<TuningException>(() => CpuXml.ParseFeature(spec)).ErrorId);

    [Fact]
    public void Pins_are_written_in_libvirts_order_and_read_back()
    {
        XElement d = Domain(extra: "<iothreads>2</iothreads><cputune><shares>2048</shares><vcpupin vcpu='3' cpuset='9'/></cputune>");
        CpuTuneXml.Apply(d, new PinChange
        {
            VCpus = { [1] = new[] { 3 }, [0] = new[] { 2 } },
            Emulator = new[] { 0, 1 },
            IOThreads = { [2] = new[] { 5 }, [1] = new[] { 4, 5 } },
        });
        XElement tune = d.Element("cputune")!;
        Assert.Equal(new[] { "vcpupin:0:2", "vcpupin:1:3", "vcpupin:3:9", "emulatorpin::0,1", "iothreadpin:1:4,5", "iothreadpin:2:5", "shares::" },
            tune.Elements().Select(e => $"{e.Name.LocalName}:{(string?)e.Attribute("vcpu") ?? (string?)e.Attribute("iothread")}:{(string?)e.Attribute("cpuset")}"));
        PinState s = CpuTuneXml.Read(d);
        Assert.Equal(new[] { 0, 1, 3 }, s.VCpus.Keys);
        Assert.Equal(new[] { 1, 2 }, s.IOThreadIds);
        Assert.Equal(new[] { 0, 1 }, s.Emulator);

        // A new plan replaces every vCPU pin; clearing removes the pins but keeps other tunables.
        CpuTuneXml.Apply(d, new PinChange { ReplaceVCpus = true, VCpus = { [0] = new[] { 7 } } });
        Assert.Equal(new[] { 0 }, CpuTuneXml.Read(d).VCpus.Keys);
        CpuTuneXml.Apply(d, new PinChange { ClearAll = true });
        Assert.Equal(new[] { "shares" }, d.Element("cputune")!.Elements().Select(e => e.Name.LocalName));
        XElement bare = Domain();
        CpuTuneXml.Apply(bare, new PinChange { VCpus = { [0] = new[] { 1 } } });
        CpuTuneXml.Apply(bare, new PinChange { ClearAll = true });
        Assert.Null(bare.Element("cputune"));
    }

    [Fact]
    public void IOThread_ids_follow_iothreadids_then_fill_up()
    {
        XElement d = Domain(extra: "<iothreads>3</iothreads><iothreadids><iothread id='5'/></iothreadids>");
        Assert.Equal(new[] { 1, 2, 5 }, CpuTuneXml.IOThreadIds(d));
        Assert.Empty(CpuTuneXml.IOThreadIds(Domain()));
    }

    [Fact]
    public void Numa_cells_and_binding()
    {
        XElement d = Domain(vcpus: 4, memKiB: 8388608);
        NumaXml.Apply(d, new NumaChange
        {
            Cells = new[]
            {
                new NumaCellSpec { Cpus = "0-1", MemoryBytes = 4UL << 30, HostNode = "0" },
                new NumaCellSpec { Cpus = "2,3", MemoryBytes = 4UL << 30, HostNode = "1", MemoryMode = KvmNumaMemoryMode.Preferred },
            },
            MemoryMode = KvmNumaMemoryMode.Strict,
            HostNode = "0-1",
        }, new HashSet<int> { 0, 1 });
        Assert.Equal(new[] { "0:0,1:4194304:KiB", "1:2,3:4194304:KiB" }, d.Element("cpu")!.Element("numa")!.Elements("cell")
            .Select(c => $"{c.Attribute("id")!.Value}:{c.Attribute("cpus")!.Value}:{c.Attribute("memory")!.Value}:{c.Attribute("unit")!.Value}"));
        XElement tune = d.Element("numatune")!;
        Assert.Equal("strict", (string?)tune.Element("memory")!.Attribute("mode"));
        Assert.Equal("0,1", (string?)tune.Element("memory")!.Attribute("nodeset"));
        Assert.Equal(new[] { "0:strict:0", "1:preferred:1" }, tune.Elements("memnode")
            .Select(m => $"{m.Attribute("cellid")!.Value}:{m.Attribute("mode")!.Value}:{m.Attribute("nodeset")!.Value}"));

        KvmNuma read = NumaXml.Read(d, "t", "u", true);
        Assert.Equal(2, read.Cells.Length);
        Assert.Equal(4UL << 30, read.Cells[1].MemoryBytes);
        Assert.Equal("1", read.Cells[1].HostNodes);
        Assert.Equal(KvmNumaMemoryMode.Strict, read.MemoryMode);

        NumaXml.Apply(d, new NumaChange { Clear = true }, new HashSet<int> { 0, 1 });
        Assert.Null(d.Element("cpu"));
        Assert.Null(d.Element("numatune"));
    }

    [Fact]
    public void Numa_cells_without_memory_share_it_evenly_in_whole_pages()
    {
        XElement d = Domain(vcpus: 3, memKiB: 3145728 + 1024);
        NumaXml.Apply(d, new NumaChange { Cells = new[] { new NumaCellSpec { Cpus = "0" }, new NumaCellSpec { Cpus = "1-2" } } }, new HashSet<int> { 0 });
        Assert.Equal(new[] { "1572864", "1573888" }, d.Element("cpu")!.Element("numa")!.Elements("cell").Select(c => c.Attribute("memory")!.Value));
    }

    [Theory]
    [InlineData("0-1|2", "NumaCellsIncomplete")]
    [InlineData("0-2|2-3", "NumaCellsOverlap")]
    [InlineData("0-1|2-4", "VCpuOutOfRange")]
    [InlineData("0-1|x", "InvalidCpuSet")]
    public void Cell_layouts_that_do_not_cover_the_vcpus_exactly_once_are_refused(string layout, string id)
    {
        XElement d = Domain(vcpus: 4, memKiB: 4194304);
        var cells = layout.Split('|').Select(c => new NumaCellSpec { Cpus = c }).ToList();
        Refused(d, id, x => NumaXml.Apply(x, new NumaChange { Cells = cells }, new HashSet<int> { 0, 1 }));
    }

    [Fact]
    public void Cell_memory_must_sum_to_the_vm_memory_unless_it_sets_it()
    {
        XElement d = Domain(vcpus: 2, memKiB: 4194304);
        var cells = new[] { new NumaCellSpec { Cpus = "0", MemoryBytes = 4UL << 30 }, new NumaCellSpec { Cpus = "1", MemoryBytes = 4UL << 30 } };
        Refused(d, "NumaMemoryMismatch", x => NumaXml.Apply(x, new NumaChange { Cells = cells }, new HashSet<int> { 0 }));
        Refused(d, "NumaCellMemoryPartial", x => NumaXml.Apply(x, new NumaChange { Cells = new[] { cells[0], new NumaCellSpec { Cpus = "1" } } }, new HashSet<int> { 0 }));
        NumaXml.Apply(d, new NumaChange { Cells = cells, SetMemory = true }, new HashSet<int> { 0 });
        Assert.Equal("8388608", d.Element("memory")!.Value);
        Assert.Equal("8388608", d.Element("currentMemory")!.Value);
    }

    [Fact]
    public void Host_nodes_must_exist_and_preferred_takes_one()
    {
        XElement d = Domain();
        var nodes = new HashSet<int> { 0, 1 };
        Refused(d, "HostNodeNotFound", x => NumaXml.Apply(x, new NumaChange { MemoryMode = KvmNumaMemoryMode.Strict, HostNode = "2" }, nodes));
        Refused(d, "InvalidNodeSet", x => NumaXml.Apply(x, new NumaChange { HostNode = "0-" }, nodes));
        Refused(d, "PreferredNeedsOneNode", x => NumaXml.Apply(x, new NumaChange { MemoryMode = KvmNumaMemoryMode.Preferred, HostNode = "0-1" }, nodes));
        Refused(d, "HostNodeRequired", x => NumaXml.Apply(x, new NumaChange { MemoryMode = KvmNumaMemoryMode.Interleave }, nodes));
        NumaXml.Apply(d, new NumaChange { HostNode = "1" }, nodes);
        Assert.Equal("strict", (string?)d.Element("numatune")!.Element("memory")!.Attribute("mode"));
        // With a nodeset in place, the mode alone may change.
        NumaXml.Apply(d, new NumaChange { MemoryMode = KvmNumaMemoryMode.Interleave }, nodes);
        Assert.Equal("interleave", (string?)d.Element("numatune")!.Element("memory")!.Attribute("mode"));
        Assert.Equal("1", (string?)d.Element("numatune")!.Element("memory")!.Attribute("nodeset"));
    }

    [Fact]
    public void Hugepages_locked_memory_and_no_balloon()
    {
        XElement d = Domain(memKiB: 1048576);
        MemoryXml.Apply(d, new MemoryChange { HugePageBytes = 2UL << 20, Locked = true, NoBalloon = true }, X86Pages);
        XElement backing = d.Element("memoryBacking")!;
        Assert.Equal("<memoryBacking><hugepages><page size=\"2048\" unit=\"KiB\" /></hugepages><locked /></memoryBacking>",
            backing.ToString(SaveOptions.DisableFormatting));
        Assert.Equal("<memballoon model=\"none\" />", d.Element("devices")!.Element("memballoon")!.ToString(SaveOptions.DisableFormatting));
        KvmMemory m = MemoryXml.Read(d, "t", "u", true);
        Assert.Equal(2UL << 20, m.HugePageSizeBytes);
        Assert.True(m.Locked);
        Assert.Equal("none", m.BalloonModel);

        MemoryXml.Apply(d, new MemoryChange { HugePageBytes = 0, Locked = false, NoBalloon = false }, X86Pages);
        Assert.Null(d.Element("memoryBacking"));
        Assert.Equal("virtio", (string?)d.Element("devices")!.Element("memballoon")!.Attribute("model"));
    }

    [Fact]
    public void Memfd_source_goes_after_locked()
    {
        XElement d = Domain(memKiB: 1048576);
        MemoryXml.Apply(d, new MemoryChange { HugePageBytes = 2UL << 20, Memfd = true, Locked = true }, X86Pages);
        Assert.Equal(new[] { "hugepages", "locked", "source" }, d.Element("memoryBacking")!.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("memfd", MemoryXml.Read(d, "t", "u", true).Source);
        MemoryXml.Apply(d, new MemoryChange { Memfd = false }, X86Pages);
        Assert.Null(d.Element("memoryBacking")!.Element("source"));
    }

    [Fact]
    public void Hugetlbfs_mounts_and_the_default_page_size_come_from_proc()
    {
        const string mounts = """
            proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
            hugetlbfs /dev/hugepages hugetlbfs rw,relatime,pagesize=2M 0 0
            none /dev/hugepages1G hugetlbfs rw,relatime,pagesize=1024M 0 0
            """;
        Assert.Equal(new HashSet<ulong> { 2048, 1048576 }, MemoryXml.HugeTlbMountSizesKiB(mounts, 2048));
        Assert.Equal(new HashSet<ulong> { 2048 }, MemoryXml.HugeTlbMountSizesKiB("hugetlbfs /mnt/h hugetlbfs rw 0 0", 2048));
        Assert.Empty(MemoryXml.HugeTlbMountSizesKiB("tmpfs /run tmpfs rw 0 0", 2048));
        Assert.Equal(1048576UL, MemoryXml.DefaultHugePageKiB("MemTotal: 1 kB\nHugepagesize:    1048576 kB\n"));
        Assert.Equal(2048UL, MemoryXml.DefaultHugePageKiB(""));
    }

    [Fact]
    public void Memory_requests_that_cannot_work_are_refused()
    {
        XElement d = Domain(memKiB: 1048576 + 1024);
        Refused(d, "UnknownHugePageSize", x => MemoryXml.Apply(x, new MemoryChange { HugePageBytes = 3UL << 20 }, X86Pages));
        Refused(d, "UnknownHugePageSize", x => MemoryXml.Apply(x, new MemoryChange { HugePageBytes = 4096 }, X86Pages));
        Refused(d, "MemoryNotPageAligned", x => MemoryXml.Apply(x, new MemoryChange { HugePageBytes = 2UL << 20 }, X86Pages));
        Refused(d, "CurrentMemoryExceedsMemory", x => MemoryXml.Apply(x, new MemoryChange { MemoryBytes = 1UL << 30, CurrentMemoryBytes = 2UL << 30 }, X86Pages));
        MemoryXml.Apply(d, new MemoryChange { MemoryBytes = 2UL << 30, HugePageBytes = 1UL << 30 }, X86Pages);
        Assert.Equal("2097152", d.Element("memory")!.Value);
        Assert.Equal("2097152", d.Element("currentMemory")!.Value);
        Assert.Equal("1048576", (string?)d.Element("memoryBacking")!.Element("hugepages")!.Element("page")!.Attribute("size"));
        MemoryXml.Apply(d, new MemoryChange { CurrentMemoryBytes = 1UL << 30 }, X86Pages);
        Assert.Equal("1048576", d.Element("currentMemory")!.Value);
    }

    [Fact]
    public void Memory_of_a_vm_with_numa_cells_changes_through_the_cells()
    {
        XElement d = Domain(vcpus: 2, memKiB: 2097152);
        NumaXml.Apply(d, new NumaChange { Cells = new[] { new NumaCellSpec { Cpus = "0" }, new NumaCellSpec { Cpus = "1" } } }, new HashSet<int> { 0 });
        Refused(d, "MemoryDoesNotMatchNumaCells", x => MemoryXml.Apply(x, new MemoryChange { MemoryBytes = 4UL << 30 }, X86Pages));
        // Cells of 1 GiB each can take 1 GiB pages; odd cells could not.
        MemoryXml.Apply(d, new MemoryChange { HugePageBytes = 1UL << 30 }, X86Pages);
        XElement odd = Domain(vcpus: 2, memKiB: 2097152);
        NumaXml.Apply(odd, new NumaChange { Cells = new[] { new NumaCellSpec { Cpus = "0", MemoryBytes = 512UL << 20 }, new NumaCellSpec { Cpus = "1", MemoryBytes = 1536UL << 20 } } }, new HashSet<int> { 0 });
        Refused(odd, "MemoryNotPageAligned", x => MemoryXml.Apply(x, new MemoryChange { HugePageBytes = 1UL << 30 }, X86Pages));
    }

    [Fact]
    public void Huge_page_supply_counts_the_bound_nodes_only()
    {
        var host = new KvmHost
        {
            NumaCells = new[]
            {
                new KvmNumaCell { Id = 0, Pages = new[] { new KvmHugePages { CellId = 0, PageSizeBytes = 2UL << 20, Total = 64, Free = 10 } } },
                new KvmNumaCell { Id = 1, Pages = new[] { new KvmHugePages { CellId = 1, PageSizeBytes = 2UL << 20, Total = 64, Free = 64 } } },
            },
        };
        Assert.Equal((74UL, 32UL), MemoryXml.HugePageSupply(host, 2UL << 20, 64UL << 20, null));
        Assert.Equal((10UL, 32UL), MemoryXml.HugePageSupply(host, 2UL << 20, 64UL << 20, new[] { 0 }));
        Assert.Null(MemoryXml.HugePageSupply(host, 1UL << 30, 1UL << 30, null));
    }

    // The edits against libvirt itself: a private test-driver host takes them through the validated
    // redefine and gives them back; a live pin reaches the running domain.
    private static string PrivateHost =>
        "test://" + Path.Combine(AppContext.BaseDirectory, "fixtures", "testdriver", "two-vms.xml");

    [Fact]
    public void The_test_driver_takes_the_edits_and_live_pins()
    {
        using var conn = LibvirtConnection.Open(PrivateHost);
        using var h = DomainService.Define(conn, Domain(vcpus: 2, memKiB: 1048576).ToString().Replace("type='kvm'", "type='test'").Replace("<name>t</name>", "<name>tuned</name>"));
        DomainEditor.EditConfig(conn, h, d =>
        {
            CpuXml.Apply(d, new CpuChange { Mode = KvmCpuMode.HostPassthrough, Sockets = 1, Cores = 2, Threads = 1, CachePassthrough = true }, null);
            CpuTuneXml.Apply(d, new PinChange { VCpus = { [0] = new[] { 2 }, [1] = new[] { 3 } }, Emulator = new[] { 1 } });
            NumaXml.Apply(d, new NumaChange { Cells = new[] { new NumaCellSpec { Cpus = "0" }, new NumaCellSpec { Cpus = "1" } }, HostNode = "0" }, new HashSet<int> { 0 });
            MemoryXml.Apply(d, new MemoryChange { HugePageBytes = 2UL << 20, NoBalloon = true }, X86Pages);
        });
        XElement back = XElement.Parse(DomainService.GetInactiveXml(h));
        Assert.Equal("host-passthrough", (string?)back.Element("cpu")!.Attribute("mode"));
        Assert.Equal(new[] { 2 }, CpuTuneXml.Read(back).VCpus[0]);
        Assert.Equal(new[] { 3 }, CpuTuneXml.Read(back).VCpus[1]);
        Assert.Equal(2, NumaXml.Read(back, "tuned", "", true).Cells.Length);
        Assert.Equal(2UL << 20, MemoryXml.Read(back, "tuned", "", true).HugePageSizeBytes);

        // The private host reports no NUMA topology: the layout comes from its node info.
        HostTopology host = HostTopology.Read(conn);
        Assert.True(host.Inferred);
        Assert.Equal(4, host.Cpus.Count);
        using var alpha = conn.LookupDomain("alpha");
        Assert.True(DomainService.IsActive(alpha));
        TuningService.PinVCpuLive(alpha, 0, new[] { 3 }, host.MapLength);
        TuningService.PinEmulatorLive(alpha, new[] { 2 }, host.MapLength);
        PinState live = CpuTuneXml.Read(XElement.Parse(LibvirtConnection.GetXml(alpha)));
        Assert.Equal(new[] { 3 }, live.VCpus[0]);
        Assert.Equal(new[] { 2 }, live.Emulator);
        var e = Assert.Throws<LibvirtException>(() => TuningService.PinVCpuLive(alpha, 5, new[] { 1 }, host.MapLength));
        Assert.Equal(KvmErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void Cpu_maps_set_one_bit_per_cpu()
    {
        Assert.Equal(new byte[] { 0b0000_0101, 0b1000_0000 }, TuningService.CpuMap(new[] { 0, 2, 15 }, 2));
        Assert.Equal(new byte[] { 0, 0, 1 }, TuningService.CpuMap(new[] { 16 }, 1));
    }
}

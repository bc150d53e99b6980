using KvmPS.Engine.Domains;
using KvmPS.Engine.Storage;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>
/// The VM provisioner against libvirt's test driver: what it plans for a request, what it refuses,
/// and that a failed or cancelled request leaves nothing behind. Tests that create things use a
/// private host (a pool 'vm-pool' at /vm-pool and a network 'lan'); each connection has its own.
/// </summary>
public sealed class VmProvisionerTests : IDisposable
{
    private static string VmHost => "test://" + Path.Combine(AppContext.BaseDirectory, "fixtures", "testdriver", "vm-host.xml");

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kvmps-vmprov-" + Guid.NewGuid().ToString("N"));

    public VmProvisionerTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // generic: a VM that boots something needs an OS variant (one osinfo-db need not have).
    private static VmRequest Vm(string name) => new() { Name = name, MemoryBytes = 256UL << 20, OSVariant = "generic" };

    private static VmRequest Pooled(string name) => Vm(name) with { Pool = "vm-pool", DiskSizeBytes = 1UL << 30 };

    private static List<string> Volumes(LibvirtConnection conn)
    {
        using StoragePool pool = StoragePool.TryLookup(conn, "vm-pool")!;
        return pool.ListVolumes().Select(v => { using (v) { return v.Name; } }).ToList();
    }

    private static bool VmExists(LibvirtConnection conn, string name)
    {
        using var h = DomainService.TryLookup(conn, name);
        return h is not null;
    }

    [Fact]
    public void Plan_for_a_disk_in_a_pool_names_the_volume_and_creates_nothing()
    {
        using var conn = LibvirtConnection.Open(VmHost);
        VmPlan plan = VmProvisioner.Plan(conn, Pooled("web") with { Networks = new[] { "lan" }, MacAddresses = new[] { "52:54:00:12:34:56" } });
        Assert.Equal(new VmDiskPlan(VmDiskSource.PoolVolume, "web.qcow2", "vm-pool", 1UL << 30, "qcow2"), plan.Disk);
        Assert.Equal("test", plan.DomainType);
        Assert.False(plan.IsQemu);
        Assert.Null(plan.CpuMode);
        Assert.True(plan.Local);
        Assert.Null(plan.Seed);
        Assert.Null(plan.HighPerformance);
        Assert.Empty(plan.Warnings);
        VmNicSpec nic = Assert.Single(plan.Nics);
        Assert.Equal(("lan", "52:54:00:12:34:56"), (nic.Network, nic.MacAddress));
        Assert.Empty(Volumes(conn));
        Assert.False(VmExists(conn, "web"));
    }

    [Fact]
    public void Apply_creates_the_volume_owned_by_the_vm_and_defines_it()
    {
        using var conn = LibvirtConnection.Open(VmHost);
        var log = new List<VmProgress>();
        VmPlan plan = VmProvisioner.Plan(conn, Pooled("db") with { DiskFormat = "raw", Start = true, ReadBack = true });
        VmProvisionResult result = VmProvisioner.Apply(plan, log.Add, default);
        Assert.Equal(new[] { "/vm-pool/db.raw" }, result.CreatedStorage);
        Assert.Equal(new[] { "db.raw" }, Volumes(conn));
        KvmVM vm = result.VM!;
        Assert.Equal(plan.Uuid, vm.Uuid);
        Assert.Equal(KvmVMState.Running, vm.State);
        Assert.True(vm.Disks[0].OwnedByVM);
        Assert.Equal("/vm-pool/db.raw", vm.Disks[0].Path);
        Assert.Contains(log, p => p.Kind == VmProgressKind.Verbose && p.Message.StartsWith("Creating volume 'db.raw'"));
        Assert.Contains(log, p => p.Kind == VmProgressKind.Debug && p.Message == result.DomainXml);
    }

    [Fact]
    public void Import_boots_the_existing_file_probes_its_format_and_does_not_own_it()
    {
        string disk = Path.Combine(_dir, "old.img");
        File.WriteAllBytes(disk, new byte[64 * 1024]);
        using var conn = LibvirtConnection.Open(VmHost);
        VmPlan plan = VmProvisioner.Plan(conn, Vm("old") with { DiskPath = disk, Import = true, ReadBack = true });
        Assert.Equal(new VmDiskPlan(VmDiskSource.ExistingFile, disk, null, 0, null), plan.Disk);
        VmProvisionResult result = VmProvisioner.Apply(plan, null, default);
        Assert.Empty(result.CreatedStorage);
        VmDiskSpec d = Assert.Single(result.Disks);
        Assert.Equal(("raw", false), (d.Format, d.Owned));
        Assert.False(result.VM!.Disks[0].OwnedByVM);
        Assert.True(File.Exists(disk));
    }

    [Fact]
    public void Cloud_init_plans_a_seed_volume_beside_the_disk_with_the_vms_identity()
    {
        using var conn = LibvirtConnection.Open(VmHost);
        VmPlan plan = VmProvisioner.Plan(conn, Pooled("ci") with { CloudInitUserData = "#cloud-config\n" });
        VmSeedPlan seed = plan.Seed!;
        Assert.Equal(("ci-cidata.iso", "vm-pool", "#cloud-config\n"), (seed.Name, seed.Pool, seed.UserData));
        Assert.Equal($"instance-id: {plan.Uuid}\nlocal-hostname: ci\n", seed.MetaData);
        VmPlan given = VmProvisioner.Plan(conn, Pooled("ci") with { CloudInitUserData = "u", CloudInitMetaData = "m" });
        Assert.Equal("m", given.Seed!.MetaData);
    }

    [Fact]
    public void HighPerformance_gives_one_socket_and_pins_each_vcpu_with_the_emulator_apart()
    {
        // test:///default: 16 CPUs in two cells. The plan only reads the host.
        using var conn = LibvirtConnection.Open("test:///default");
        VmPlan plan = VmProvisioner.Plan(conn, Vm("kvmps-vmprov-hp") with { VCpuCount = 4, MemoryBytes = 1UL << 30, HighPerformance = true });
        VmHighPerformance hp = plan.HighPerformance!;
        Assert.Equal((1, 4, 1), (hp.Cpu.Sockets, hp.Cpu.Cores, hp.Cpu.Threads));
        Assert.Null(hp.Cpu.Mode); // not QEMU: the driver keeps its CPU model
        var pinned = hp.Pins!.VCpus.OrderBy(p => p.Key).Select(p => Assert.Single(p.Value)).ToArray();
        Assert.Equal(4, pinned.Distinct().Count());
        Assert.True(pinned.All(c => c < 8) || pinned.All(c => c >= 8), "the vCPUs share one host cell");
        Assert.DoesNotContain(hp.Pins.Emulator!.Single(), pinned);
        Assert.Null(hp.Memory); // huge pages are for QEMU guests only
        Assert.Null(plan.NicQueues);
        string xml = plan.BuildDomainXml(Array.Empty<VmDiskSpec>());
        Assert.Contains("<topology sockets=\"1\"", xml);
        Assert.Equal(4, System.Text.RegularExpressions.Regex.Matches(xml, "<vcpupin ").Count);
        Assert.Contains("<emulatorpin ", xml);
        Assert.Contains(hp.Notes, n => n.StartsWith("Pinned vCPUs of 'kvmps-vmprov-hp'"));
    }

    [Fact]
    public void Default_profile_has_no_tuning()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        VmPlan plan = VmProvisioner.Plan(conn, Vm("kvmps-vmprov-plain") with { VCpuCount = 4 });
        Assert.Null(plan.HighPerformance);
        Assert.DoesNotContain("vcpupin", plan.BuildDomainXml(Array.Empty<VmDiskSpec>()));
    }

    private static GuestArch X86(params string[] domainTypes) =>
        new() { Arch = "x86_64", DomainTypes = domainTypes, Machines = new HashSet<string> { "pc", "q35", "pc-q35-8.2" } };

    [Theory]
    [InlineData(VmVirtType.Auto, true, "kvm", null)]
    [InlineData(VmVirtType.Auto, false, "qemu", "CPU shows no vmx/svm")]
    [InlineData(VmVirtType.Kvm, false, "kvm", null)]
    [InlineData(VmVirtType.Qemu, true, "qemu", null)]
    public void Virt_type_is_kvm_where_usable_else_qemu_with_a_warning(VmVirtType wanted, bool cpuHasVirt, string type, string? warning)
    {
        var (domainType, why) = VmHostChoice.DomainType("v", "qemu:///system", X86("qemu", "kvm"), isQemu: true, cpuHasVirt, wanted);
        Assert.Equal(type, domainType);
        if (warning is null)
        {
            Assert.Null(why);
        }
        else
        {
            Assert.Contains(warning, why);
        }
    }

    [Fact]
    public void Virt_type_without_kvm_on_offer()
    {
        var (type, why) = VmHostChoice.DomainType("v", "qemu:///system", X86("qemu"), isQemu: true, cpuHasVirt: true, VmVirtType.Auto);
        Assert.Equal("qemu", type);
        Assert.Contains("it does not offer KVM", why);
        var e = Assert.Throws<VmRequestException>(() => VmHostChoice.DomainType("v", "qemu:///system", X86("qemu"), true, true, VmVirtType.Kvm));
        Assert.Equal(("KvmNotAvailable", KvmErrorKind.InvalidArgument, "v"), (e.ErrorId, e.Kind, e.Target));
        // Off QEMU the driver's own type is taken whatever was asked.
        Assert.Equal(("test", (string?)null), VmHostChoice.DomainType("v", "test:///default", X86("test"), false, false, VmVirtType.Kvm));
        Assert.Equal("host-passthrough", VmHostChoice.CpuMode(true, "kvm", true));
        Assert.Null(VmHostChoice.CpuMode(true, "kvm", false));
        Assert.Null(VmHostChoice.CpuMode(true, "qemu", true));
    }

    [Fact]
    public void Machine_is_q35_where_the_os_supports_it_else_pc_and_an_unknown_one_is_refused()
    {
        Assert.Equal("q35", VmHostChoice.Machine("v", "u", X86("kvm"), true, null, osSupportsQ35: true));
        Assert.Equal("pc", VmHostChoice.Machine("v", "u", X86("kvm"), true, null, osSupportsQ35: false));
        Assert.Equal("pc-q35-8.2", VmHostChoice.Machine("v", "u", X86("kvm"), true, "pc-q35-8.2", true));
        Assert.Null(VmHostChoice.Machine("v", "u", X86("test"), false, null, true));
        var e = Assert.Throws<VmRequestException>(() => VmHostChoice.Machine("v", "u", X86("kvm"), true, "virt", true));
        Assert.Equal("UnknownMachineType", e.ErrorId);
    }

    public static TheoryData<string, VmRequest> BadRequests => new()
    {
        { "InvalidMacAddress", Vm("m") with { Networks = new[] { "lan" }, MacAddresses = new[] { "52:54:00:zz:00:01" } } },
        { "InvalidMacAddress", Vm("m") with { Networks = new[] { "lan" }, MacAddresses = new[] { "01:54:00:12:34:56" } } },
        { "TooManyMacAddresses", Vm("m") with { MacAddresses = new[] { "52:54:00:12:34:56" } } },
        { "InvalidName", Vm("a/b") },
        { "InvalidName", Vm("a\\b") },
        { "InvalidName", Vm("\tweb") },
        { "InvalidName", Vm(" web") },
        { "ConflictingDiskParameters", Pooled("m") with { DiskPath = "/tmp/x.qcow2" } },
        { "PoolWithoutSize", Vm("m") with { Pool = "vm-pool" } },
        { "ImportWithoutDisk", Vm("m") with { Import = true } },
        { "CloudInitWithoutStorage", Vm("m") with { CloudInitUserData = "#cloud-config" } },
        { "FileNotFound", Vm("m") with { Cdrom = "/nonexistent/x.iso" } },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void Refuses_a_bad_request_as_an_invalid_argument_about_the_vm(string errorId, VmRequest request)
    {
        using var conn = LibvirtConnection.Open(VmHost);
        var e = Assert.Throws<VmRequestException>(() => VmProvisioner.Plan(conn, request));
        Assert.Equal((errorId, KvmErrorKind.InvalidArgument, request.Name), (e.ErrorId, e.Kind, e.Target));
        Assert.False(VmExists(conn, request.Name));
        Assert.Empty(Volumes(conn));
    }

    [Fact]
    public void Refuses_a_name_in_use_a_missing_pool_and_a_missing_network()
    {
        using var conn = LibvirtConnection.Open(VmHost);
        VmProvisioner.Apply(VmProvisioner.Plan(conn, Vm("taken")), null, default);
        var dup = Assert.Throws<VmRequestException>(() => VmProvisioner.Plan(conn, Vm("taken")));
        Assert.Equal(("VMExists", KvmErrorKind.AlreadyExists, "taken"), (dup.ErrorId, dup.Kind, dup.Target));
        var pool = Assert.Throws<VmRequestException>(() => VmProvisioner.Plan(conn, Pooled("p") with { Pool = "no-pool" }));
        Assert.Equal(("PoolNotFound", KvmErrorKind.NotFound, "no-pool"), (pool.ErrorId, pool.Kind, pool.Target));
        var net = Assert.Throws<VmRequestException>(() => VmProvisioner.Plan(conn, Vm("n") with { Networks = new[] { "lan", "no-net" } }));
        Assert.Equal(("NetworkNotFound", KvmErrorKind.NotFound, "no-net"), (net.ErrorId, net.Kind, net.Target));
    }

    [Fact]
    public void A_definition_the_driver_rejects_removes_the_volume_made_for_it()
    {
        using var conn = LibvirtConnection.Open(VmHost);
        VmPlan plan = VmProvisioner.Plan(conn, Pooled("race"));
        // Another VM takes the name between plan and apply: libvirt refuses the definition.
        using (DomainService.Define(conn, "<domain type='test'><name>race</name><memory>65536</memory><os><type>hvm</type></os></domain>"))
        {
        }
        var log = new List<VmProgress>();
        Assert.Throws<LibvirtException>(() => VmProvisioner.Apply(plan, log.Add, default));
        Assert.Empty(Volumes(conn));
        Assert.Contains(log, p => p.Message == "Deleted volume '/vm-pool/race.qcow2'.");
        Assert.NotEqual(plan.Uuid, DomainService.Get(conn, "race").Uuid); // the other VM is untouched
    }

    [Fact]
    public void Cancelling_after_the_definition_undoes_the_vm_and_its_volume()
    {
        using var conn = LibvirtConnection.Open(VmHost);
        using var cts = new CancellationTokenSource();
        var log = new List<VmProgress>();
        VmPlan plan = VmProvisioner.Plan(conn, Pooled("stop") with { Start = true });
        Assert.ThrowsAny<OperationCanceledException>(() => VmProvisioner.Apply(plan, p =>
        {
            log.Add(p);
            if (p.Kind == VmProgressKind.Debug)
            {
                cts.Cancel(); // just before the definition
            }
        }, cts.Token));
        Assert.False(VmExists(conn, "stop"));
        Assert.Empty(Volumes(conn));
        var verbose = log.Where(p => p.Kind == VmProgressKind.Verbose).Select(p => p.Message).ToList();
        // Newest first: the VM, then its disk.
        Assert.True(verbose.IndexOf("Undefined the half-made VM 'stop'.") < verbose.IndexOf("Deleted volume '/vm-pool/stop.qcow2'."));
        Assert.Contains("Undefined the half-made VM 'stop'.", verbose);
    }

    [Fact]
    public void A_failed_seed_upload_removes_the_disk_volume()
    {
        // The test driver has no volume upload: the seed fails after the disk volume exists (or,
        // without xorriso, the seed cannot even be made). Either way the disk goes again.
        using var conn = LibvirtConnection.Open(VmHost);
        VmPlan plan = VmProvisioner.Plan(conn, Pooled("seeded") with { CloudInitUserData = "#cloud-config\n" });
        var e = Assert.ThrowsAny<Exception>(() => VmProvisioner.Apply(plan, null, default));
        Assert.True(e is LibvirtException or System.ComponentModel.Win32Exception, e.ToString());
        Assert.Empty(Volumes(conn));
        Assert.False(VmExists(conn, "seeded"));
    }

    [FactNeedsPrograms("qemu-img", "xorriso")]
    public void A_cancelled_file_vm_removes_its_disk_file_and_seed_iso()
    {
        string disk = Path.Combine(_dir, "f.qcow2");
        using var conn = LibvirtConnection.Open(VmHost);
        using var cts = new CancellationTokenSource();
        VmPlan plan = VmProvisioner.Plan(conn, Vm("f") with { DiskPath = disk, DiskSizeBytes = 16UL << 20, CloudInitUserData = "#cloud-config\n" });
        Assert.Equal(VmDiskSource.NewFile, plan.Disk!.Source);
        var seen = new List<string>();
        Assert.ThrowsAny<OperationCanceledException>(() => VmProvisioner.Apply(plan, p =>
        {
            if (p.Kind == VmProgressKind.Debug)
            {
                seen.AddRange(Directory.GetFiles(_dir).Select(Path.GetFileName)!);
                cts.Cancel();
            }
        }, cts.Token));
        Assert.Equal(new[] { "f-cidata.iso", "f.qcow2" }, seen.Order());
        Assert.Empty(Directory.GetFiles(_dir));
        Assert.False(VmExists(conn, "f"));
    }

    [Fact]
    public void Undo_log_rolls_back_newest_first_and_goes_on_past_a_failure()
    {
        var undone = new List<string>();
        var log = new UndoLog();
        log.Record("a", () => { undone.Add("a"); return "a gone"; }, e => "a stays");
        log.Record("b", () => throw new IOException("busy"), e => $"b stays: {e.Message}");
        log.Record("c", () => { undone.Add("c"); return "c gone"; }, e => "c stays");
        Assert.Equal(new[] { "a", "b", "c" }, log.Recorded);
        var (done, failed) = log.Rollback();
        Assert.Equal(new[] { "c", "a" }, undone);
        Assert.Equal(new[] { "c gone", "a gone" }, done);
        Assert.Equal(new[] { "b stays: busy" }, failed);
        Assert.Empty(log.Recorded);
    }
}

using System.Xml.Linq;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;
using KvmPS.Engine.Storage;
using Xunit;

namespace KvmPS.Engine.Tests.Domains;

/// <summary>
/// The two-step install against libvirt's test driver: the first boot runs transient while the
/// final definition is persistent, -Wait starts the final one after the first ends, -Disk makes
/// several disks, and a preview makes nothing.
/// </summary>
public sealed class VmTwoPhaseInstallTests : IDisposable
{
    private static string VmHost => "test://" + Path.Combine(AppContext.BaseDirectory, "fixtures", "testdriver", "vm-host.xml");

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kvmps-twophase-" + Guid.NewGuid().ToString("N"));
    private readonly string _iso;

    public VmTwoPhaseInstallTests()
    {
        Directory.CreateDirectory(_dir);
        _iso = Path.Combine(_dir, "install.iso");
        File.WriteAllText(_iso, "medium");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private VmRequest Install(string name) => new() { Name = name, MemoryBytes = 256UL << 20, Pool = "vm-pool", DiskSizeBytes = 1UL << 30, Cdrom = _iso, OSVariant = "linux2022" };

    private static XElement Live(DomainHandle h) => XElement.Parse(LibvirtConnection.GetXml(h));

    private static XElement Persistent(DomainHandle h) => XElement.Parse(DomainService.GetInactiveXml(h));

    private static string?[] Boot(XElement d) => d.Element("os")!.Elements("boot").Select(b => (string?)b.Attribute("dev")).ToArray();

    private static string? CdromSource(XElement d) => (string?)d.Element("devices")!.Elements("disk")
        .Single(x => (string?)x.Attribute("device") == "cdrom").Element("source")?.Attribute("file");

    [Fact]
    public void Start_runs_the_first_boot_while_the_persistent_definition_is_the_final_one()
    {
        using var conn = LibvirtConnection.Open(VmHost);
        VmProvisionResult result = VmProvisioner.Apply(VmProvisioner.Plan(conn, Install("inst") with { Start = true }), null, default);
        using DomainHandle h = conn.LookupDomain("inst");
        Assert.True(DomainService.IsActive(h));
        Assert.True(DomainService.IsPersistent(h));
        XElement live = Live(h), persistent = Persistent(h);
        Assert.Equal(new[] { "cdrom", "hd" }, Boot(live));
        Assert.Equal("destroy", (string?)live.Element("on_reboot"));
        Assert.Equal(_iso, CdromSource(live));
        Assert.Equal(new[] { "hd" }, Boot(persistent));
        Assert.Equal("restart", (string?)persistent.Element("on_reboot"));
        Assert.Null(CdromSource(persistent));
        Assert.Equal(new[] { "hd" }, Boot(XElement.Parse(result.DomainXml)));
    }

    [Fact]
    public async Task Wait_starts_the_final_configuration_once_the_install_boot_has_ended()
    {
        using var conn = LibvirtConnection.Open(VmHost);
        VmPlan plan = VmProvisioner.Plan(conn, Install("waiter") with { Start = true, Install = new VmInstallOptions { Wait = true } });
        VmProvisioner.Apply(plan, null, default);
        using DomainHandle h = conn.LookupDomain(plan.Uuid);
        var seen = new List<VmProgress>();
        VmInstallRun.PollInterval = TimeSpan.FromMilliseconds(20);
        Task wait = Task.Run(() => VmInstallRun.WaitAndStartFinal(h, "waiter", TimeSpan.FromSeconds(30), seen.Add, default));
        SpinWait.SpinUntil(() => seen.Count > 0, TimeSpan.FromSeconds(10));
        Assert.False(wait.IsCompleted);
        DomainService.Destroy(h); // the installer's reboot, with on_reboot=destroy
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(DomainService.IsActive(h));
        XElement live = Live(h);
        Assert.Equal(new[] { "hd" }, Boot(live));
        Assert.Null(CdromSource(live));
        Assert.Equal("restart", (string?)live.Element("on_reboot"));
        Assert.Contains(seen, p => p.Kind == VmProgressKind.Progress && p.Message.StartsWith("Waiting for the install of VM 'waiter'"));
    }

    [Fact]
    public void Wait_gives_up_at_its_timeout_and_leaves_the_install_running()
    {
        using var conn = LibvirtConnection.Open(VmHost);
        VmPlan plan = VmProvisioner.Plan(conn, Install("slow") with { Start = true });
        VmProvisioner.Apply(plan, null, default);
        using DomainHandle h = conn.LookupDomain(plan.Uuid);
        VmInstallRun.PollInterval = TimeSpan.FromMilliseconds(20);
        var e = Assert.Throws<TimeoutException>(() => VmInstallRun.WaitAndStartFinal(h, "slow", TimeSpan.FromMilliseconds(100), null, default));
        Assert.Contains("Start-KvmVM -Name 'slow'", e.Message);
        Assert.True(DomainService.IsActive(h));
        Assert.Equal(new[] { "cdrom", "hd" }, Boot(Live(h)));
    }

    [Fact]
    public void The_undo_removes_a_running_first_boot_and_its_definition()
    {
        using var conn = LibvirtConnection.Open(VmHost);
        VmPlan plan = VmProvisioner.Plan(conn, Install("undo") with { Start = true });
        VmProvisioner.Apply(plan, null, default);
        Assert.Equal("Undefined the half-made VM 'undo'.", VmInstallRun.RemoveIfOurs(conn, "undo", plan.Uuid));
        Assert.Null(DomainService.TryLookup(conn, "undo"));
        Assert.Equal("VM 'undo' was not defined; nothing to undefine.", VmInstallRun.RemoveIfOurs(conn, "undo", plan.Uuid));
    }

    [Fact]
    public void Disk_specs_make_volumes_named_as_virt_install_and_files_with_their_options()
    {
        using var conn = LibvirtConnection.Open(VmHost);
        string file = Path.Combine(_dir, "data.qcow2");
        var disks = new[] { VmDiskSpecText.Parse("d", "size=1,bus=sata,cache=none,io=native"), VmDiskSpecText.Parse("d", $"path={file},size=1,discard=ignore") };
        VmPlan plan = VmProvisioner.Plan(conn, Install("d") with { Install = new VmInstallOptions { Disks = disks } });
        Assert.Equal(new[] { "d.qcow2", "d-1.qcow2", file }, plan.AllDisks.Select(x => x.Location));
        VmProvisionResult result = VmProvisioner.Apply(plan, null, default);
        Assert.True(File.Exists(file));
        XElement[] defined = XElement.Parse(result.DomainXml).Element("devices")!.Elements("disk").Where(x => (string?)x.Attribute("device") == "disk").ToArray();
        Assert.Equal(new[] { "vda:virtio", "sda:sata", "vdb:virtio" }, defined.Select(x => $"{x.Element("target")!.Attribute("dev")!.Value}:{x.Element("target")!.Attribute("bus")!.Value}"));
        Assert.Equal(("none", "native"), ((string?)defined[1].Element("driver")!.Attribute("cache"), (string?)defined[1].Element("driver")!.Attribute("io")));
        Assert.Equal("ignore", (string?)defined[2].Element("driver")!.Attribute("discard"));
        Assert.Equal(3, DomainXml.OwnedPaths(XElement.Parse(result.DomainXml)).Count);
    }

    [Fact]
    public void A_failed_request_removes_every_disk_it_made()
    {
        using var conn = LibvirtConnection.Open(VmHost);
        string file = Path.Combine(_dir, "gone.qcow2");
        // The name is taken by another definition after the plan: the define fails after the disks are made.
        var disks = new[] { VmDiskSpecText.Parse("f", "size=1"), VmDiskSpecText.Parse("f", $"path={file},size=1") };
        VmPlan plan = VmProvisioner.Plan(conn, Install("f") with { Install = new VmInstallOptions { Disks = disks } });
        VmProvisioner.Apply(VmProvisioner.Plan(conn, new VmRequest { Name = "f", MemoryBytes = 256UL << 20 }), null, default);
        Assert.ThrowsAny<Exception>(() => VmProvisioner.Apply(plan, null, default));
        Assert.False(File.Exists(file));
        using StoragePool pool = StoragePool.TryLookup(conn, "vm-pool")!;
        Assert.Empty(pool.ListVolumes().Select(v => { using (v) { return v.Name; } }));
    }

    [Fact]
    public void A_preview_has_both_steps_at_the_paths_the_disks_would_get_and_makes_nothing()
    {
        using var conn = LibvirtConnection.Open(VmHost);
        VmPlan plan = VmProvisioner.Plan(conn, Install("p") with { Start = true, CloudInitUserData = "#cloud-config\n" });
        VmInstallSteps steps = VmXmlPreview.Steps(plan, default);
        XElement first = XElement.Parse(steps.FirstBootXml!), final = XElement.Parse(steps.FinalXml);
        Assert.Contains("/vm-pool/p.qcow2", DomainXml.OwnedPaths(final));
        Assert.Contains("/vm-pool/p-cidata.iso", DomainXml.OwnedPaths(first));
        Assert.NotNull(first.Element("sysinfo"));
        Assert.Null(DomainService.TryLookup(conn, "p"));
        using StoragePool pool = StoragePool.TryLookup(conn, "vm-pool")!;
        Assert.Empty(pool.ListVolumes());
    }

    [Fact]
    public void Extra_disks_without_a_pool_go_to_the_default_pool_which_must_exist()
    {
        using var conn = LibvirtConnection.Open(VmHost);
        var e = Assert.Throws<VmRequestException>(() => VmProvisioner.Plan(conn, new VmRequest
        {
            Name = "np", MemoryBytes = 256UL << 20, Install = new VmInstallOptions { Disks = new[] { VmDiskSpecText.Parse("np", "size=1") } },
        }));
        Assert.Equal(("PoolNotFound", KvmErrorKind.NotFound, "default"), (e.ErrorId, e.Kind, e.Target));
        var missing = Assert.Throws<VmRequestException>(() => VmProvisioner.Plan(conn, new VmRequest
        {
            Name = "np", MemoryBytes = 256UL << 20, Install = new VmInstallOptions { Disks = new[] { VmDiskSpecText.Parse("np", Path.Combine(_dir, "none.qcow2")) } },
        }));
        Assert.Equal("DiskNotFound", missing.ErrorId);
    }
}

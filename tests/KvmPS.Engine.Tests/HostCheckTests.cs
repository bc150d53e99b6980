using KvmPS.Engine.HostChecks;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>The host checks over fixture trees (tests/fixtures/hosts) and, for the probes themselves, this machine.</summary>
public class HostCheckTests
{
    internal static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "hosts", name);

    /// <summary>A URI whose daemon is certainly absent: a local socket path that does not exist.</summary>
    internal const string DeadUri = "qemu+unix:///system?socket=/nonexistent/kvmps-t3.sock";

    internal static HostCheckContext Context(string fixture, string uri = DeadUri) =>
        new(new HostFileSystem(Fixture(fixture)), uri, () => LibvirtConnection.Open(uri));

    private static KvmHostReport Run(string fixture, string uri = DeadUri) => HostChecker.Run(Context(fixture, uri));

    private static KvmHostCheck Get(KvmHostReport r, string name) => Assert.Single(r.Checks, c => c.Name == name);

    private static readonly string[] FileChecks =
    {
        HostCheckNames.CpuVirtualization, HostCheckNames.KvmModules, HostCheckNames.KvmDevice, HostCheckNames.UserGroups,
        HostCheckNames.NestedVirtualization, HostCheckNames.HugePages, HostCheckNames.Iommu, HostCheckNames.VhostNet,
        HostCheckNames.Tun, HostCheckNames.Cgroups,
    };

    [Fact]
    public void Intel_host_ready_for_kvm_passes_every_host_check()
    {
        KvmHostReport r = Run("intel-kvm");
        Assert.Equal(HostCheckNames.All, r.Checks.Select(c => c.Name));
        foreach (string name in FileChecks)
        {
            Assert.True(Get(r, name).Status == KvmCheckStatus.Pass, $"{name}: {Get(r, name).Message}");
        }
        Assert.Equal("intel-kvm", r.ComputerName);
        Assert.Equal("ubuntu 22.04", r.Distribution);
        Assert.Contains("vmx (Intel VT-x) on 8 of 8 CPUs", Get(r, HostCheckNames.CpuVirtualization).Message);
        Assert.Contains("kvm loaded, kvm_intel loaded", Get(r, HostCheckNames.KvmModules).Message);
        Assert.Contains("/dev/kvm: character device 10:232, mode 0660, owner root:kvm; read-write for alice", Get(r, HostCheckNames.KvmDevice).Message);
        Assert.Contains("alice (uid 1000): kvm: member; libvirt: member", Get(r, HostCheckNames.UserGroups).Message);
        Assert.Contains("kvm_intel nested = Y", Get(r, HostCheckNames.NestedVirtualization).Message);
        Assert.Contains("2 MiB: 1024 reserved, 1000 free", Get(r, HostCheckNames.HugePages).Message);
        Assert.Contains("4 IOMMU groups", Get(r, HostCheckNames.Iommu).Message);
        Assert.Contains("intel_iommu=on iommu=pt", Get(r, HostCheckNames.Iommu).Message);
        Assert.Contains("cgroup v2", Get(r, HostCheckNames.Cgroups).Message);
        Assert.All(r.Checks.Where(c => c.Status == KvmCheckStatus.Pass), c => Assert.Equal("", c.Remedy));
        // Only the daemon is missing (the URI names no socket), and its remedy starts it with systemd.
        KvmHostCheck daemon = Get(r, HostCheckNames.LibvirtDaemon);
        Assert.Equal(KvmCheckStatus.Fail, daemon.Status);
        Assert.Equal("sudo systemctl enable --now libvirtd", daemon.Remedy);
        Assert.Equal(KvmCheckStatus.Pass, Get(r, HostCheckNames.QemuEmulator).Status);
        Assert.Equal(KvmCheckStatus.Skip, Get(r, HostCheckNames.KvmDomainType).Status);
    }

    [Fact]
    public void Libvirt_side_checks_use_the_connection()
    {
        KvmHostReport r = Run("intel-kvm", "test:///default");
        Assert.True(r.IsReady);
        Assert.Equal("test:///default", r.Uri);
        Assert.Equal(KvmCheckStatus.Pass, Get(r, HostCheckNames.LibvirtDaemon).Status);
        Assert.Contains("test driver", Get(r, HostCheckNames.LibvirtDaemon).Message);
        Assert.Equal(KvmCheckStatus.Skip, Get(r, HostCheckNames.QemuEmulator).Status);
        Assert.Contains("domain types: test", Get(r, HostCheckNames.KvmDomainType).Message);
        // AppArmor on the host, testSecurity in libvirt: not the QEMU driver, nothing to fix.
        KvmHostCheck sec = Get(r, HostCheckNames.SecurityDriver);
        Assert.Equal(KvmCheckStatus.Pass, sec.Status);
        Assert.Contains("AppArmor is enabled; libvirt's security drivers: testSecurity", sec.Message);
    }

    [Fact]
    public void Amd_host_with_nested_virtualization()
    {
        KvmHostReport r = Run("amd-nested");
        Assert.Equal(KvmCheckStatus.Pass, Get(r, HostCheckNames.CpuVirtualization).Status);
        Assert.Contains("svm (AMD-V) on 16 of 16 CPUs", Get(r, HostCheckNames.CpuVirtualization).Message);
        Assert.Contains("kvm_amd loaded", Get(r, HostCheckNames.KvmModules).Message);
        KvmHostCheck nested = Get(r, HostCheckNames.NestedVirtualization);
        Assert.Equal(KvmCheckStatus.Pass, nested.Status);
        Assert.Contains("kvm_amd nested = 1", nested.Message);
        Assert.Contains("1 GiB: 4 reserved, 4 free (default size 1 GiB)", Get(r, HostCheckNames.HugePages).Message);
        Assert.Contains("24 IOMMU groups in /sys/kernel/iommu_groups; ACPI IVRS table present; kernel command line: amd_iommu=on iommu=pt", Get(r, HostCheckNames.Iommu).Message);
        Assert.Contains("cgroup v1 controllers mounted: cpu, cpuacct, cpuset, memory, devices, blkio", Get(r, HostCheckNames.Cgroups).Message);
        Assert.Contains("SELinux is enforcing", Get(r, HostCheckNames.SecurityDriver).Message);
        Assert.Equal("fedora 39", r.Distribution);
        // Fedora's modular daemons, started by socket activation; root needs no sudo.
        Assert.Equal("systemctl enable --now virtqemud.socket", Get(r, HostCheckNames.LibvirtDaemon).Remedy);
    }

    [Fact]
    public void Host_without_virtualization_extensions_fails_and_says_where_to_switch_them_on()
    {
        KvmHostReport r = Run("no-virt");
        Assert.False(r.IsReady);
        KvmHostCheck cpu = Get(r, HostCheckNames.CpuVirtualization);
        Assert.Equal(KvmCheckStatus.Fail, cpu.Status);
        Assert.Contains("No vmx or svm flag on any of the 4 CPUs", cpu.Message);
        Assert.Contains("Intel VT-x", cpu.Remedy);
        Assert.Contains("firmware", cpu.Remedy);
        Assert.False(cpu.CanRepair);
        Assert.Equal(KvmCheckStatus.Fail, Get(r, HostCheckNames.KvmModules).Status);
        KvmHostCheck dev = Get(r, HostCheckNames.KvmDevice);
        Assert.Equal(KvmCheckStatus.Fail, dev.Status);
        Assert.Contains("/dev/kvm does not exist", dev.Message);
        Assert.Equal(KvmCheckStatus.Skip, Get(r, HostCheckNames.NestedVirtualization).Status);
        KvmHostCheck iommu = Get(r, HostCheckNames.Iommu);
        Assert.Equal(KvmCheckStatus.Warn, iommu.Status);
        Assert.Contains("sudo sed -i 's/^GRUB_CMDLINE_LINUX_DEFAULT=\"/&intel_iommu=on iommu=pt /' /etc/default/grub", iommu.Remedy);
        Assert.Contains("sudo update-grub", iommu.Remedy);
    }

    [Fact]
    public void Dev_kvm_present_but_user_not_in_kvm_group()
    {
        KvmHostReport r = Run("kvm-no-group");
        var fs = new HostFileSystem(Fixture("kvm-no-group"));
        Assert.Equal(HostNodeKind.CharDevice, fs.Stat("/dev/kvm").Kind);
        Assert.False(fs.CanReadWrite("/dev/kvm"));

        KvmHostCheck dev = Get(r, HostCheckNames.KvmDevice);
        Assert.Equal(KvmCheckStatus.Fail, dev.Status);
        Assert.Contains("owner root:kvm; bob (uid 1001) cannot open it read-write", dev.Message);
        Assert.StartsWith("sudo usermod -aG kvm bob\n", dev.Remedy);
        Assert.True(dev.CanRepair);
        KvmHostCheck groups = Get(r, HostCheckNames.UserGroups);
        Assert.Equal(KvmCheckStatus.Fail, groups.Status);
        Assert.Contains("kvm: not a member; libvirt: member", groups.Message);

        Assert.Equal(KvmCheckStatus.Warn, Get(r, HostCheckNames.NestedVirtualization).Status);
        Assert.Equal(KvmCheckStatus.Warn, Get(r, HostCheckNames.VhostNet).Status);
        Assert.Equal("sudo modprobe vhost_net\necho vhost_net | sudo tee /etc/modules-load.d/vhost_net.conf", Get(r, HostCheckNames.VhostNet).Remedy);
        Assert.Equal(KvmCheckStatus.Fail, Get(r, HostCheckNames.Tun).Status);
        Assert.Equal(KvmCheckStatus.Warn, Get(r, HostCheckNames.HugePages).Status);
        KvmHostCheck cg = Get(r, HostCheckNames.Cgroups);
        Assert.Equal(KvmCheckStatus.Warn, cg.Status);
        Assert.Contains("missing cpuset", cg.Message);
        Assert.Contains("sudo mount -t cgroup -o cpuset cgroup /sys/fs/cgroup/cpuset", cg.Remedy);
        // No systemd: the daemons start by hand.
        Assert.Equal("sudo virtlogd -d\nsudo libvirtd -d", Get(r, HostCheckNames.LibvirtDaemon).Remedy);
        Assert.Equal("sudo apt-get install -y qemu-system-x86", Get(r, HostCheckNames.QemuEmulator).Remedy);
    }

    [Fact]
    public void User_added_to_a_group_but_not_logged_in_again_is_told_to_log_in()
    {
        string root = CopyFixture("kvm-no-group");
        File.WriteAllText(Path.Combine(root, "etc/group"), "root:x:0:\nkvm:x:104:bob\nlibvirt:x:113:bob\nbob:x:1001:\n");
        KvmHostReport r = HostChecker.Run(new HostCheckContext(new HostFileSystem(root), DeadUri, null));
        Directory.Delete(root, recursive: true);
        KvmHostCheck groups = Get(r, HostCheckNames.UserGroups);
        Assert.Equal(KvmCheckStatus.Fail, groups.Status);
        Assert.Contains("kvm: member in /etc/group, not yet in this login", groups.Message);
        Assert.DoesNotContain("usermod", groups.Remedy);
        Assert.Contains("log out and back in", groups.Remedy);
    }

    [Fact]
    public void Fresh_install_needs_modules_packages_and_a_daemon()
    {
        KvmHostReport r = Run("intel-fresh");
        KvmHostCheck modules = Get(r, HostCheckNames.KvmModules);
        Assert.Equal(KvmCheckStatus.Fail, modules.Status);
        Assert.Equal("kvm not loaded, kvm_intel not loaded.", modules.Message);
        Assert.Equal("apt-get install -y kmod\nmodprobe kvm_intel", modules.Remedy);
        Assert.Equal("apt-get install -y libvirt-daemon-system\nsystemctl enable --now libvirtd", Get(r, HostCheckNames.LibvirtDaemon).Remedy);
        Assert.Equal(KvmCheckStatus.Fail, Get(r, HostCheckNames.QemuEmulator).Status);
    }

    [Fact]
    public void Remote_uri_skips_file_checks_and_asks_libvirt()
    {
        // The connection is the test driver, but the URI says "another machine".
        var ctx = new HostCheckContext(new HostFileSystem(Fixture("intel-kvm")), "qemu+ssh://root@kvm2.example/system", () => LibvirtConnection.Open("test:///default"));
        KvmHostReport r = HostChecker.Run(ctx);
        Assert.True(r.IsRemote);
        foreach (string name in HostCheckNames.FileBased)
        {
            KvmHostCheck c = Get(r, name);
            Assert.Equal(KvmCheckStatus.Skip, c.Status);
            Assert.Contains("remote URI", c.Message);
        }
        Assert.Equal(KvmCheckStatus.Pass, Get(r, HostCheckNames.LibvirtDaemon).Status);
        // From libvirt: the pages of both cells summed per size (not the fixture's 1024 x 2 MiB),
        // and the capabilities' <iommu support='no'/>.
        using (var conn = LibvirtConnection.Open("test:///default"))
        {
            var pages = KvmPS.Engine.Host.HostInfoReader.Read(conn).NumaCells.SelectMany(c => c.Pages).Where(p => p.PageSizeBytes == 2UL << 20).ToList();
            Assert.Contains($"2 MiB: {pages.Sum(p => (long)p.Total)} reserved, {pages.Sum(p => (long)(p.Free ?? 0))} free", Get(r, HostCheckNames.HugePages).Message);
        }
        Assert.Equal(KvmCheckStatus.Warn, Get(r, HostCheckNames.Iommu).Status);
        Assert.Contains("not visible over a remote URI", Get(r, HostCheckNames.SecurityDriver).Message);
        Assert.All(r.Checks, c => Assert.False(c.CanRepair));
        Assert.Equal("", r.Distribution);
    }

    [Fact]
    public void Missing_libvirt_library_is_a_finding_with_the_package_to_install()
    {
        var ctx = new HostCheckContext(new HostFileSystem(Fixture("no-virt")), "", () => throw new DllNotFoundException("libvirt's C library (libvirt.so.0) was not found."));
        KvmHostReport r = HostChecker.Run(ctx);
        KvmHostCheck daemon = Get(r, HostCheckNames.LibvirtDaemon);
        Assert.Equal(KvmCheckStatus.Fail, daemon.Status);
        Assert.Contains("libvirt.so.0", daemon.Message);
        Assert.Equal("sudo apt-get install -y libvirt-daemon-system", daemon.Remedy);
        Assert.Equal(KvmCheckStatus.Skip, Get(r, HostCheckNames.KvmDomainType).Status);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("qemu:///system", false)]
    [InlineData("qemu:///session", false)]
    [InlineData("test:///default", false)]
    [InlineData("qemu+unix:///system?socket=/run/x.sock", false)]
    [InlineData("qemu+ssh://root@host/system", true)]
    [InlineData("qemu+ssh:///system", true)]
    [InlineData("qemu+tcp://127.0.0.1:16509/system", true)]
    [InlineData("qemu+tls://host.example/system", true)]
    [InlineData("qemu://host.example/system", true)]
    [InlineData("qemu+libssh2://u@h/system?known_hosts=/x", true)]
    [InlineData("xen:", false)]
    public void Remote_uri_detection(string uri, bool remote) => Assert.Equal(remote, HostCheckContext.IsRemoteUri(uri));

    [Theory]
    [InlineData("qemu+ssh://root@kvm2.example:2222/system", "kvm2.example")]
    [InlineData("qemu+tcp://[fe80::1]:16509/system", "fe80::1")]
    [InlineData("qemu:///system", null)]
    public void Host_part_of_a_uri(string uri, string? host) => Assert.Equal(host, HostCheckContext.HostPart(uri));

    [Fact]
    public void Only_the_named_checks_run_in_the_fixed_order()
    {
        KvmHostReport r = HostChecker.Run(Context("intel-kvm"), new[] { "tun", HostCheckNames.CpuVirtualization });
        Assert.Equal(new[] { HostCheckNames.CpuVirtualization, HostCheckNames.Tun }, r.Checks.Select(c => c.Name));
        Assert.True(r.IsReady);
        Assert.Equal("2 pass, 0 warn, 0 fail, 0 skip", r.Summary);
    }

    [Fact]
    public void Manifest_describes_devices_and_rejects_bad_lines()
    {
        var fs = new HostFileSystem(Fixture("intel-kvm"));
        HostNode kvm = fs.Stat("/dev/kvm");
        Assert.Equal(new HostNode(HostNodeKind.CharDevice, 0x1B0, 0, 108, 10, 232), kvm);
        Assert.Equal("0660", kvm.OctalMode);
        Assert.False(fs.Stat("/dev/sda").Exists);
        Assert.Equal(HostNodeKind.File, fs.Stat("/proc/cpuinfo").Kind);
        Assert.Equal(HostNodeKind.Directory, fs.Stat("/sys/module/kvm").Kind);

        string bad = Path.Combine(Path.GetTempPath(), $"kvmps-t3-manifest-{Guid.NewGuid():N}");
        File.WriteAllText(bad, "/dev/kvm c 10-232 0660 0:0\n");
        try
        {
            var e = Assert.Throws<FormatException>(() => HostFileSystem.ReadManifest(bad));
            Assert.Contains(":1:", e.Message);
        }
        finally
        {
            File.Delete(bad);
        }
    }

    [Fact]
    public void Live_probes_read_device_nodes_of_this_machine()
    {
        // /dev/null is 1:3, mode 0666 on every Linux host: proves the statx layout.
        var fs = new HostFileSystem("/");
        Assert.True(fs.IsLive);
        HostNode n = fs.Stat("/dev/null");
        Assert.Equal(HostNodeKind.CharDevice, n.Kind);
        Assert.Equal((1u, 3u), (n.Major, n.Minor));
        Assert.Equal("0666", n.OctalMode);
        Assert.True(fs.CanReadWrite("/dev/null"));
        Assert.Equal(HostNodeKind.Directory, fs.Stat("/proc").Kind);
        Assert.False(fs.Stat("/dev/kvmps-t3-no-such-device").Exists);
        HostIdentity me = HostIdentity.Read(fs);
        Assert.Equal(Environment.UserName, me.UserName);
    }

    internal static string CopyFixture(string name)
    {
        string dest = Path.Combine(Path.GetTempPath(), $"kvmps-t3-{name}-{Guid.NewGuid():N}");
        foreach (string file in Directory.EnumerateFiles(Fixture(name), "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(dest, Path.GetRelativePath(Fixture(name), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return dest;
    }
}

using System.Xml.Linq;
using KvmPS.Engine.Domains;
using Xunit;

namespace KvmPS.Engine.Tests.Domains;

/// <summary>The install's first boot and the final definition, as virt-install 4.1 splits them.</summary>
public sealed class VmInstallPlanTests
{
    private const string Iso = "/iso/install.iso", Seed = "/vm/v-cidata.iso";

    private static XElement Built(bool disk = true, string? kernel = null, bool seed = false)
    {
        var spec = new VmSpec
        {
            Name = "v", MemoryBytes = 1UL << 30, Machine = "q35", Kernel = kernel, CdromFirst = true,
            Disks = new List<VmDiskSpec>(),
        };
        if (disk)
        {
            spec.Disks.Add(new VmDiskSpec { Path = "/vm/v.qcow2", Owned = true });
        }
        spec.Disks.Add(new VmDiskSpec { Path = Iso, Device = "cdrom", Format = "raw" });
        if (seed)
        {
            spec.Disks.Add(new VmDiskSpec { Path = Seed, Device = "cdrom", Format = "raw", Owned = true });
        }
        return DomainXmlBuilder.Build(spec);
    }

    private static string[] Boot(XElement d) => d.Element("os")!.Elements("boot").Select(b => (string)b.Attribute("dev")!).ToArray();

    private static string?[] CdromSources(XElement d) => d.Element("devices")!.Elements("disk")
        .Where(x => (string?)x.Attribute("device") == "cdrom").Select(x => (string?)x.Element("source")?.Attribute("file")).ToArray();

    [Fact]
    public void A_started_cdrom_install_boots_the_medium_once_and_defines_the_disk_first_with_it_ejected()
    {
        VmInstallSteps steps = VmInstallPlan.Split(Built(), new VmInstallFacts { InstallCdrom = Iso, Start = true });
        XElement first = XElement.Parse(steps.FirstBootXml!), final = XElement.Parse(steps.FinalXml);
        Assert.Equal(new[] { "cdrom", "hd" }, Boot(first));
        Assert.Equal("destroy", (string?)first.Element("on_reboot"));
        Assert.Equal(new[] { Iso }, CdromSources(first));
        Assert.Equal(new[] { "hd" }, Boot(final));
        Assert.Equal("restart", (string?)final.Element("on_reboot"));
        Assert.Equal(new string?[] { null }, CdromSources(final));
        Assert.Null(final.Element("sysinfo"));
    }

    [Fact]
    public void Windows_keeps_its_medium_in_for_the_installs_later_reboots()
    {
        VmInstallSteps steps = VmInstallPlan.Split(Built(), new VmInstallFacts { InstallCdrom = Iso, Start = true, KeepInstallMedia = true });
        XElement final = XElement.Parse(steps.FinalXml);
        Assert.Equal(new[] { Iso }, CdromSources(final));
        Assert.Equal(new[] { "hd" }, Boot(final));
    }

    [Fact]
    public void Not_started_the_definition_keeps_the_medium_after_the_disk_for_a_later_start()
    {
        VmInstallSteps steps = VmInstallPlan.Split(Built(), new VmInstallFacts { InstallCdrom = Iso, Start = false });
        Assert.Null(steps.FirstBootXml);
        XElement final = XElement.Parse(steps.FinalXml);
        Assert.Equal(new[] { "hd", "cdrom" }, Boot(final));
        Assert.Equal(new[] { Iso }, CdromSources(final));
        Assert.Equal("restart", (string?)final.Element("on_reboot"));
    }

    [Fact]
    public void Without_a_disk_the_cdrom_stays_the_boot_device()
    {
        VmInstallSteps steps = VmInstallPlan.Split(Built(disk: false), new VmInstallFacts { InstallCdrom = Iso, Start = true });
        Assert.Equal(new[] { "cdrom" }, Boot(XElement.Parse(steps.FirstBootXml!)));
        Assert.Equal(new[] { "cdrom" }, Boot(XElement.Parse(steps.FinalXml)));
    }

    [Fact]
    public void The_seed_has_the_nocloud_serial_at_the_first_boot_and_is_ejected_and_disowned_after()
    {
        VmInstallSteps steps = VmInstallPlan.Split(Built(seed: true), new VmInstallFacts { InstallCdrom = Iso, Seed = Seed, Start = true });
        XElement first = XElement.Parse(steps.FirstBootXml!), final = XElement.Parse(steps.FinalXml);
        Assert.Equal("ds=nocloud", (string?)first.Element("sysinfo")?.Element("system")?.Element("entry"));
        Assert.Equal("serial", (string?)first.Element("sysinfo")!.Element("system")!.Element("entry")!.Attribute("name"));
        Assert.Equal("sysinfo", (string?)first.Element("os")!.Element("smbios")?.Attribute("mode"));
        Assert.Null(final.Element("sysinfo"));
        Assert.Null(final.Element("os")!.Element("smbios"));
        Assert.Equal(new string?[] { null, null }, CdromSources(final));
        Assert.Contains(Seed, DomainXml.OwnedPaths(first));
        Assert.DoesNotContain(Seed, DomainXml.OwnedPaths(final));
        Assert.Contains("/vm/v.qcow2", DomainXml.OwnedPaths(final));
    }

    [Fact]
    public void An_import_with_a_seed_has_a_first_boot_too_but_no_install_medium()
    {
        VmInstallSteps steps = VmInstallPlan.Split(Built(seed: true), new VmInstallFacts { Seed = Seed, Start = true });
        XElement first = XElement.Parse(steps.FirstBootXml!);
        Assert.Equal("destroy", (string?)first.Element("on_reboot"));
        Assert.NotNull(first.Element("sysinfo"));
        Assert.Equal(new[] { "hd" }, Boot(XElement.Parse(steps.FinalXml)));
    }

    [Fact]
    public void An_install_tree_boots_its_kernel_once_and_the_final_definition_has_none()
    {
        var f = new VmInstallFacts { InstallKernel = "/t/vmlinuz", InstallInitrd = "/t/initrd.img", InstallArgs = "inst.ks=http://k/ks.cfg", Start = true };
        VmInstallSteps steps = VmInstallPlan.Split(Built(), f);
        XElement first = XElement.Parse(steps.FirstBootXml!), final = XElement.Parse(steps.FinalXml);
        XElement os = first.Element("os")!;
        Assert.Equal(("/t/vmlinuz", "/t/initrd.img", "inst.ks=http://k/ks.cfg"), ((string?)os.Element("kernel"), (string?)os.Element("initrd"), (string?)os.Element("cmdline")));
        Assert.Empty(Boot(first));
        Assert.Null(final.Element("os")!.Element("kernel"));
        Assert.Equal(new[] { "hd" }, Boot(final));
    }

    [Fact]
    public void A_permanent_kernel_stays_in_both_steps_and_no_boot_order_is_set()
    {
        VmInstallSteps steps = VmInstallPlan.Split(Built(kernel: "/boot/k"), new VmInstallFacts { InstallCdrom = Iso, Start = true });
        XElement first = XElement.Parse(steps.FirstBootXml!), final = XElement.Parse(steps.FinalXml);
        Assert.Equal("/boot/k", (string?)first.Element("os")!.Element("kernel"));
        Assert.Equal("/boot/k", (string?)final.Element("os")!.Element("kernel"));
        Assert.Empty(Boot(final));
        Assert.Equal(new string?[] { null }, CdromSources(final));
    }

    [Fact]
    public void Pxe_boots_the_network_first_once_and_a_given_boot_order_is_the_final_one()
    {
        VmInstallSteps pxe = VmInstallPlan.Split(Built(), new VmInstallFacts { Pxe = true, Start = true });
        Assert.Equal(new[] { "network", "hd" }, Boot(XElement.Parse(pxe.FirstBootXml!)));
        Assert.Equal(new[] { "hd" }, Boot(XElement.Parse(pxe.FinalXml)));
        VmInstallSteps given = VmInstallPlan.Split(Built(), new VmInstallFacts { InstallCdrom = Iso, Start = true, BootOrder = new[] { "network", "hd" } });
        Assert.Equal(new[] { "network", "hd" }, Boot(XElement.Parse(given.FinalXml)));
    }

    [Fact]
    public void Nothing_to_install_is_one_step()
    {
        VmInstallSteps steps = VmInstallPlan.Split(Built(), new VmInstallFacts { Start = true });
        Assert.Null(steps.FirstBootXml);
        Assert.Equal(new[] { "hd" }, Boot(XElement.Parse(steps.FinalXml)));
    }
}

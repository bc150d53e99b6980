using System.Xml.Linq;

namespace KvmPS.Engine.Domains;

/// <summary>
/// Splits a new VM's domain XML into the install's first boot and the final definition, as
/// virt-install 4.1 does (its Installer._build_postboot_xml): the final one boots the disk, has
/// the install CD-ROM and the cloud-init seed ejected (the drives stay, empty; a Windows medium
/// stays in, its install reboots from it) and no install kernel; the first boot boots the install
/// medium first (the CD-ROM, the network, or the install tree's kernel and initrd), has the seed's
/// SMBIOS serial ds=nocloud, and ends at the guest's first reboot (on_reboot=destroy) so the
/// final definition takes over. A request that is not started now keeps its medium inserted,
/// after the disk in the boot order, for a later start.
/// </summary>
public static class VmInstallPlan
{
    /// <summary>
    /// Both steps for a plan whose disks are made (or, for a preview, named): the install CD-ROM
    /// and the seed ISO go after them, as drives of their own.
    /// </summary>
    public static VmInstallSteps Steps(VmPlan plan, IReadOnlyList<VmDiskSpec> disks, string? seedPath)
    {
        var all = disks.ToList();
        if (plan.Cdrom is not null)
        {
            all.Add(new VmDiskSpec { Path = plan.Cdrom, Device = "cdrom", Format = "raw" });
        }
        if (seedPath is not null)
        {
            all.Add(new VmDiskSpec { Path = seedPath, Device = "cdrom", Format = "raw", Owned = true });
        }
        VmRequest r = plan.Request;
        var facts = new VmInstallFacts
        {
            InstallCdrom = r.Import ? null : plan.Cdrom,
            Seed = seedPath,
            InstallKernel = plan.InstallKernel,
            InstallInitrd = plan.InstallInitrd,
            InstallArgs = r.Install.ExtraArgs,
            Pxe = r.Install.Pxe,
            KeepInstallMedia = plan.IsWindows,
            Start = r.Start,
            BootOrder = r.Install.BootOrder,
            Smbios = plan.Arch is "x86_64" or "i686" or "aarch64",
        };
        return Split(XElement.Parse(plan.BuildDomainXml(all)), facts);
    }

    /// <summary>Both steps of the XML the builder made (which has the CD-ROM first for an install).</summary>
    public static VmInstallSteps Split(XElement built, VmInstallFacts f)
    {
        XElement final = Final(built, f);
        if (!f.NeedsFirstBoot || !f.Start)
        {
            return new VmInstallSteps(null, final.ToString());
        }
        return new VmInstallSteps(FirstBoot(built, f).ToString(), final.ToString());
    }

    /// <summary>The persistent definition.</summary>
    public static XElement Final(XElement built, VmInstallFacts f)
    {
        var x = new XElement(built);
        XElement os = x.Element("os")!;
        bool hasDisk = x.Element("devices")!.Elements("disk").Any(d => (string?)d.Attribute("device") == "disk");
        if (os.Element("kernel") is null)
        {
            IEnumerable<string> order = f.BootOrder.Count > 0 ? f.BootOrder
                : !f.HasInstallPhase ? new[] { hasDisk || f.InstallCdrom is null ? "hd" : "cdrom" }
                : !f.Start ? (hasDisk ? new[] { "hd", InstallDevice(f) } : new[] { InstallDevice(f) })
                : new[] { hasDisk ? "hd" : InstallDevice(f) };
            SetBootOrder(os, order);
        }
        if (f.Start)
        {
            if (f.InstallCdrom is not null && !f.KeepInstallMedia)
            {
                Eject(x, f.InstallCdrom);
            }
            if (f.Seed is not null)
            {
                // As virt-install: the seed is deleted once the first boot has it open (it holds
                // the user-data), so the final definition neither uses nor owns it.
                Eject(x, f.Seed);
                x.Element("metadata")?.Element(DomainXml.KvmPSNs + "kvmps")?.Elements(DomainXml.KvmPSNs + "owned")
                    .Where(o => (string?)o.Attribute("path") == f.Seed).Remove();
            }
        }
        return x;
    }

    /// <summary>The first boot: the install medium first, the seed's serial, ends at the guest's reboot.</summary>
    public static XElement FirstBoot(XElement built, VmInstallFacts f)
    {
        var x = new XElement(built);
        x.Element("on_reboot")?.SetValue("destroy");
        XElement os = x.Element("os")!;
        bool hasDisk = x.Element("devices")!.Elements("disk").Any(d => (string?)d.Attribute("device") == "disk");
        if (f.InstallKernel is not null)
        {
            os.Elements("boot").Remove();
            os.Elements("kernel").Remove();
            os.Elements("initrd").Remove();
            os.Elements("cmdline").Remove();
            os.Add(new XElement("kernel", f.InstallKernel));
            if (f.InstallInitrd is not null)
            {
                os.Add(new XElement("initrd", f.InstallInitrd));
            }
            if (f.InstallArgs is not null)
            {
                os.Add(new XElement("cmdline", f.InstallArgs));
            }
        }
        else if (os.Element("kernel") is null && f.HasInstallPhase)
        {
            SetBootOrder(os, hasDisk ? new[] { InstallDevice(f), "hd" } : new[] { InstallDevice(f) });
        }
        if (f.Seed is not null && f.Smbios)
        {
            os.Elements("smbios").Remove();
            os.Add(new XElement("smbios", new XAttribute("mode", "sysinfo")));
            x.Elements("sysinfo").Remove();
            // Before <os>, where libvirt writes it.
            os.AddBeforeSelf(new XElement("sysinfo", new XAttribute("type", "smbios"),
                new XElement("system", new XElement("entry", new XAttribute("name", "serial"), "ds=nocloud"))));
        }
        return x;
    }

    private static string InstallDevice(VmInstallFacts f) => f.Pxe ? "network" : "cdrom";

    private static void SetBootOrder(XElement os, IEnumerable<string> devices)
    {
        os.Elements("boot").Remove();
        XElement? after = os.Elements("cmdline").LastOrDefault() ?? os.Elements("initrd").LastOrDefault() ?? os.Elements("kernel").LastOrDefault()
            ?? os.Elements("loader").LastOrDefault() ?? os.Element("type");
        foreach (string dev in devices.Reverse())
        {
            after!.AddAfterSelf(new XElement("boot", new XAttribute("dev", dev)));
        }
    }

    /// <summary>Takes the image out of the CD-ROM drive that holds it; the drive stays.</summary>
    private static void Eject(XElement domain, string path)
    {
        XElement? drive = domain.Element("devices")!.Elements("disk")
            .FirstOrDefault(d => (string?)d.Attribute("device") == "cdrom" && (string?)d.Element("source")?.Attribute("file") == path);
        drive?.Element("source")?.Remove();
    }
}

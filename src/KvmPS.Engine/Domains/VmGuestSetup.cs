using System.Xml.Linq;

namespace KvmPS.Engine.Domains;

/// <summary>
/// The per-OS part of a new VM's definition, as virt-install 4.1 makes it: USB controller,
/// guest agent channel, RNG and balloon only where the OS supports them, the NIC model of an OS
/// without virtio, the video model, the SPICE extras (sound, USB redirection, vmport off),
/// Hyper-V enlightenments and localtime for Windows, the TPM and secure-boot firmware. Decided
/// by <see cref="Plan"/>, applied to the XML <see cref="DomainXmlBuilder"/> made.
/// </summary>
public sealed record VmGuestSetup
{
    public VmOsDefaults Os { get; init; } = VmOsDefaults.Generic;
    public VmHostDevices Host { get; init; } = VmHostDevices.None;
    public VmGraphics Graphics { get; init; }
    public VmFirmware Firmware { get; init; }
    public bool SecureBoot { get; init; }
    public bool Tpm { get; init; }

    /// <summary>Whether the setup is applied to the definition (a QEMU host; another driver keeps its minimal set).</summary>
    public bool Applies { get; init; } = true;

    /// <summary>The machine should be q35: the OS supports it, or secure boot needs it.</summary>
    public bool WantsQ35 => Os.Q35 || SecureBoot;

    /// <summary>Whether the host is reached without a network (SPICE image compression is then off, as virt-install sets it).</summary>
    public bool LocalHost { get; init; }

    /// <summary>
    /// Decides the graphics, firmware, secure boot and TPM of a request: what was asked, else
    /// what the OS needs (win11: UEFI, secure boot, TPM), else virt-install's defaults (SPICE where
    /// the host has it; a TPM for every UEFI guest where the host can emulate one).
    /// </summary>
    public static VmGuestSetup Plan(VmRequest r, VmOsDefaults os, VmHostDevices host, bool localHost)
    {
        VmGraphics graphics = r.GraphicsGiven ? r.Graphics : host.Spice ? VmGraphics.Spice : VmGraphics.Vnc;
        bool secureBoot = r.SecureBoot || (!r.FirmwareGiven && os.RequiresSecureBoot && host.Efi);
        VmFirmware firmware = r.FirmwareGiven ? r.Firmware : (os.RequiresEfi || r.SecureBoot) && r.Kernel is null ? VmFirmware.Uefi : r.Firmware;
        bool tpm = r.Tpm || (host.TpmEmulator && (os.RequiresTpm || firmware == VmFirmware.Uefi));
        return new VmGuestSetup
        {
            Os = os, Host = host, Graphics = graphics, Firmware = firmware, SecureBoot = secureBoot && firmware == VmFirmware.Uefi,
            Tpm = tpm, LocalHost = localHost,
        };
    }

    /// <summary>The request's own contradictions: secure boot needs UEFI.</summary>
    public static void Check(VmRequest r)
    {
        if (r.SecureBoot && r.FirmwareGiven && r.Firmware != VmFirmware.Uefi)
        {
            throw VmRequestException.Invalid(r.Name, "SecureBootWithoutUefi", "-SecureBoot needs UEFI firmware: use -Firmware Uefi (or leave -Firmware out).");
        }
    }

    /// <summary>Changes the built definition of a QEMU guest to this setup.</summary>
    public void ApplyTo(XElement domain)
    {
        XElement devices = domain.Element("devices")!;
        string? machine = (string?)domain.Element("os")?.Element("type")?.Attribute("machine");
        bool q35 = machine is not null && machine.Contains("q35", StringComparison.Ordinal);
        VmWindowsFeatures.ApplyTo(domain, Os);
        VmSecureBoot.ApplyFirmware(domain, this);

        if (!Os.Usb3)
        {
            devices.Elements("controller").Where(c => (string?)c.Attribute("type") == "usb").Remove();
            AddAfterDisks(devices, Usb2Controllers());
        }
        if (!Os.VirtioSerial)
        {
            devices.Elements("channel").Where(c => (string?)c.Element("target")?.Attribute("name") == "org.qemu.guest_agent.0").Remove();
        }
        if (!Os.VirtioRng)
        {
            devices.Elements("rng").Remove();
        }
        if (!Os.VirtioBalloon)
        {
            devices.Elements("memballoon").Remove();
        }
        if (!Os.VirtioNet && !q35)
        {
            foreach (XElement model in devices.Elements("interface").Elements("model"))
            {
                model.SetAttributeValue("type", Os.LegacyNicModel);
            }
        }
        foreach (XElement model in devices.Elements("video").Elements("model"))
        {
            model.SetAttributeValue("type", VideoModel());
        }
        if (Graphics == VmGraphics.Spice && devices.Element("graphics") is XElement spice)
        {
            if (LocalHost)
            {
                spice.Add(new XElement("image", new XAttribute("compression", "off")));
            }
            spice.AddAfterSelf(new XElement("sound", new XAttribute("model", q35 ? "ich9" : "ich6")));
            devices.Element("video")?.AddAfterSelf(
                new XElement("redirdev", new XAttribute("bus", "usb"), new XAttribute("type", "spicevmc")),
                new XElement("redirdev", new XAttribute("bus", "usb"), new XAttribute("type", "spicevmc")));
            XElement features = domain.Element("features")!;
            if (features.Element("vmport") is null)
            {
                features.Add(new XElement("vmport", new XAttribute("state", "off")));
            }
        }
        if (Tpm)
        {
            var tpm = new XElement("tpm", Host.TpmCrb || !Host.TpmEmulator ? new XAttribute("model", "tpm-crb") : null,
                new XElement("backend", new XAttribute("type", "emulator"), new XAttribute("version", "2.0")));
            XElement? before = devices.Element("graphics") ?? devices.Element("memballoon");
            if (before is not null)
            {
                before.AddBeforeSelf(tpm);
            }
            else
            {
                devices.Add(tpm);
            }
        }
    }

    /// <summary>virt-install's video model: virtio where the OS has its driver, qxl with SPICE, bochs for UEFI, else VGA.</summary>
    public string VideoModel() =>
        Host.VideoVirtio && Os.VirtioGpu ? "virtio"
        : Graphics == VmGraphics.Spice && Host.VideoQxl ? "qxl"
        : Firmware == VmFirmware.Uefi && Host.VideoBochs ? "bochs"
        : "vga";

    // virt-install's USB 2 set: an EHCI controller with its three UHCI companions.
    private static IEnumerable<XElement> Usb2Controllers()
    {
        yield return new XElement("controller", new XAttribute("type", "usb"), new XAttribute("model", "ich9-ehci1"));
        for (int i = 1; i <= 3; i++)
        {
            yield return new XElement("controller", new XAttribute("type", "usb"), new XAttribute("model", $"ich9-uhci{i}"),
                new XElement("master", new XAttribute("startport", (i - 1) * 2)));
        }
    }

    private static void AddAfterDisks(XElement devices, IEnumerable<XElement> added)
    {
        XElement? lastDisk = devices.Elements("disk").LastOrDefault();
        if (lastDisk is not null)
        {
            lastDisk.AddAfterSelf(added);
        }
        else
        {
            devices.AddFirst(added);
        }
    }
}

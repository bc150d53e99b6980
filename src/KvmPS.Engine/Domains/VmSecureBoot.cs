using System.Xml.Linq;

namespace KvmPS.Engine.Domains;

/// <summary>
/// UEFI with secure boot, the way virt-install 4.1 asks for it: libvirt's firmware
/// autoselection (&lt;os firmware='efi'&gt;) with the secure-boot and enrolled-keys features
/// required, and SMM on (secure-boot firmware needs it; with it the machine is q35).
/// </summary>
public static class VmSecureBoot
{
    public static void ApplyFirmware(XElement domain, VmGuestSetup setup)
    {
        XElement os = domain.Element("os")!;
        if (setup.Firmware != VmFirmware.Uefi)
        {
            return;
        }
        os.SetAttributeValue("firmware", "efi");
        if (!setup.SecureBoot)
        {
            return;
        }
        os.Element("firmware")?.Remove();
        var firmware = new XElement("firmware",
            new XElement("feature", new XAttribute("enabled", "yes"), new XAttribute("name", "enrolled-keys")),
            new XElement("feature", new XAttribute("enabled", "yes"), new XAttribute("name", "secure-boot")));
        XElement? type = os.Element("type");
        if (type is not null)
        {
            type.AddAfterSelf(firmware);
        }
        else
        {
            os.AddFirst(firmware);
        }
        XElement features = domain.Element("features")!;
        features.Element("smm")?.Remove();
        features.Add(new XElement("smm", new XAttribute("state", "on")));
    }
}

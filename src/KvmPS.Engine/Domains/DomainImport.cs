using System.Xml.Linq;
using KvmPS.Engine.Devices;

namespace KvmPS.Engine.Domains;

/// <summary>
/// What Import-KvmVM changes in a definition before defining it: under another name (-Name) the
/// copy gets that name, a new UUID, new MAC addresses and its own UEFI variable store, and owns
/// none of the original's storage. Pure, apart from the host view it is given.
/// </summary>
public static class DomainImport
{
    /// <summary>The MAC addresses of the definition's network adapters, as written.</summary>
    public static List<string> Macs(XElement domain) =>
        DeviceXml.Nics(domain).Select(n => (string?)n.Element("mac")?.Attribute("address")).OfType<string>().ToList();

    /// <summary>
    /// Turns <paramref name="domain"/> (in place) into a copy named <paramref name="name"/>:
    /// libvirt makes the UUID, every adapter gets a MAC no VM of <paramref name="host"/> has (nor
    /// another adapter of the copy), the KvmPS ownership record goes (the disks stay the
    /// original's: -DeleteStorage on the copy never deletes them) and so does the path of the
    /// original's UEFI variable store (libvirt makes one for the new name from the template).
    /// Returns what the user should know: disks the copy shares with VMs of the host.
    /// </summary>
    public static List<string> AsCopy(XElement domain, string name, HostDomains host)
    {
        domain.Element("name")!.Value = name;
        domain.Element("uuid")?.Remove();
        var given = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (XElement nic in DeviceXml.Nics(domain))
        {
            string mac;
            do
            {
                mac = host.NewMacAddress();
            }
            while (!given.Add(mac));
            XElement? element = nic.Element("mac");
            if (element is null)
            {
                nic.AddFirst(element = new XElement("mac"));
            }
            element.SetAttributeValue("address", mac);
        }
        DomainXmlText.DropOwnership(domain);
        if (domain.Element("os")?.Element("nvram") is XElement nvram)
        {
            // The text is the original's own file; the template (if any) makes the copy's.
            nvram.Value = "";
            if (!nvram.HasAttributes)
            {
                nvram.Remove();
            }
        }
        var notes = new List<string>();
        foreach (XElement disk in DeviceXml.Disks(domain).Where(d => d.Element("readonly") is null && d.Element("shareable") is null))
        {
            XElement? source = disk.Element("source");
            string? path = (string?)source?.Attribute("file") ?? (string?)source?.Attribute("dev");
            if (path is null)
            {
                continue;
            }
            var writers = host.WritersOfPath(path, except: name).ToList();
            if (writers.Count > 0)
            {
                notes.Add($"VM '{name}' uses the disk '{path}' that VM(s) {string.Join(", ", writers)} also write: do not run them at the same time (copy the disk and point the copy at it for a real clone).");
            }
        }
        return notes;
    }
}

using System.Xml.Linq;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Domains;

namespace KvmPS.Engine.Backups;

/// <summary>What a restore changes in the backed-up definition: the restored disks point at their new volumes, and the VM owns them.</summary>
public static class RestoreDefinition
{
    /// <summary>
    /// Points each restored disk (by target) at its volume as a file without a backing chain, of
    /// the format <paramref name="formatOf"/> gives for the target (qcow2 without it).
    /// </summary>
    public static void PointDisks(XElement domain, IReadOnlyDictionary<string, string> volumeByTarget, Func<string, string>? formatOf = null)
    {
        foreach (XElement disk in DeviceXml.Disks(domain))
        {
            string? target = (string?)disk.Element("target")?.Attribute("dev");
            if (target is null || !volumeByTarget.TryGetValue(target, out string? path))
            {
                continue;
            }
            disk.SetAttributeValue("type", "file");
            disk.Elements("source").Remove();
            disk.Elements("backingStore").Remove();
            XElement? driver = disk.Element("driver");
            if (driver is null)
            {
                disk.AddFirst(driver = new XElement("driver", new XAttribute("name", "qemu")));
            }
            driver.SetAttributeValue("type", formatOf?.Invoke(target) ?? "qcow2");
            driver.AddAfterSelf(new XElement("source", new XAttribute("file", path)));
        }
    }

    /// <summary>
    /// Drops the ownership record the definition had and records the VM (its UUID, made here when
    /// the definition has none, as a copy's) as the owner of the restored volumes. Returns the UUID.
    /// </summary>
    public static Guid Own(XElement domain, IEnumerable<string> paths)
    {
        Guid uuid = Guid.TryParse((string?)domain.Element("uuid"), out Guid g) ? g : Guid.NewGuid();
        if (domain.Element("uuid") is null)
        {
            domain.Element("name")!.AddAfterSelf(new XElement("uuid", uuid.ToString("D")));
        }
        DomainXmlText.DropOwnership(domain);
        XElement? metadata = domain.Element("metadata");
        if (metadata is null)
        {
            domain.Element("uuid")!.AddAfterSelf(metadata = new XElement("metadata"));
        }
        XElement? record = metadata.Element(DomainXml.KvmPSNs + "kvmps");
        if (record is null)
        {
            metadata.Add(record = new XElement(DomainXml.KvmPSNs + "kvmps", new XAttribute(XNamespace.Xmlns + "kvmps", DomainXml.KvmPSNs.NamespaceName)));
        }
        foreach (string path in paths.Order(StringComparer.Ordinal))
        {
            record.Add(new XElement(DomainXml.KvmPSNs + "owned", new XAttribute("path", path), new XAttribute("owner", uuid.ToString("D"))));
        }
        return uuid;
    }
}

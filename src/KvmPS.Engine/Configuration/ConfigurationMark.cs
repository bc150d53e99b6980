using System.Xml.Linq;
using KvmPS.Engine.Native;

namespace KvmPS.Engine.Configuration;

/// <summary>
/// The mark a configuration run leaves on the VMs it makes (a metadata element of its own,
/// written with virDomainSetMetadata so the rest of the definition is untouched): -Prune removes
/// only VMs that carry the mark of the same configuration, never one made another way.
/// </summary>
public static class ConfigurationMark
{
    public const string Namespace = "https://kvmps.dev/xmlns/configuration/1";
    private const int MetadataElement = 2;
    private const uint AffectConfig = 2;

    /// <summary>The configuration name marked on a definition, or null.</summary>
    public static string? Read(XElement domain) =>
        (string?)domain.Element("metadata")?.Element(XName.Get("managed", Namespace))?.Attribute("configuration");

    public static void Write(LibvirtConnection conn, string vmName, string configuration)
    {
        using DomainHandle h = conn.LookupDomain(vmName);
        string element = new XElement(XName.Get("managed", Namespace), new XAttribute("configuration", configuration)).ToString(SaveOptions.DisableFormatting);
        LibvirtException.Check(Libvirt.virDomainSetMetadata(h, MetadataElement, element, "kvmpscfg", Namespace, AffectConfig), "virDomainSetMetadata");
    }
}

using System.Xml.Linq;
using KvmPS.Engine.Native;

namespace KvmPS.Engine.Domains;

/// <summary>
/// Changes a VM's persistent definition: read the inactive XML, edit it, define it again with
/// libvirt's schema validation. The edit runs on a copy, so a request that fails (in the edit or
/// at define) leaves the definition exactly as it was.
/// </summary>
public static class DomainEditor
{
    /// <summary>
    /// The persistent definition as an element (a copy the caller may change), read with the secure
    /// flag so a redefine keeps graphics passwords: it is for defining again, never for output.
    /// </summary>
    public static XElement ReadConfig(DomainHandle h) =>
        SafeXml.Parse(DomainService.GetXmlForEdit(h, inactive: DomainService.IsPersistent(h)));

    /// <summary>
    /// Applies an edit to the persistent definition and redefines the VM. Returns the XML that was
    /// defined (with its secrets: not for output). Throws LibvirtException when libvirt rejects the result; nothing changed then.
    /// </summary>
    public static XElement EditConfig(LibvirtConnection conn, DomainHandle h, Action<XElement> edit)
    {
        if (!DomainService.IsPersistent(h))
        {
            throw new InvalidOperationException("The VM is transient (it has no persistent definition to change).");
        }
        XElement config = ReadConfig(h);
        edit(config);
        DomainService.Define(conn, config.ToString(), validate: true).Dispose();
        return config;
    }

    /// <summary>Returns the child element, creating it (appended) when missing.</summary>
    public static XElement GetOrAdd(XElement parent, string name)
    {
        XElement? e = parent.Element(name);
        if (e is null)
        {
            e = new XElement(name);
            parent.Add(e);
        }
        return e;
    }
}

using System.Xml;
using System.Xml.Linq;

namespace KvmPS.Engine;

/// <summary>
/// The one way KvmPS parses XML text, whether it comes from a user's file or from libvirt: DTDs
/// are refused and nothing is resolved, so a document cannot declare entities (no entity
/// expansion, no external files or URLs read while parsing). libvirt's own documents never carry
/// a DOCTYPE, so only foreign input can be refused here.
/// </summary>
public static class SafeXml
{
    private static XmlReaderSettings Settings() => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        // As XElement.Parse without LoadOptions: insignificant whitespace is dropped.
        IgnoreWhitespace = true,
    };

    /// <summary>Parses the text to its root element. Throws XmlException for text that is not XML or has a DTD.</summary>
    public static XElement Parse(string text)
    {
        using var reader = XmlReader.Create(new StringReader(text), Settings());
        return XElement.Load(reader);
    }
}

using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace KvmPS.Engine.Domains;

/// <summary>
/// Checks the text of a domain definition from outside before it reaches libvirt. libvirt (and
/// virsh, which hands it the file's bytes) reads a definition as UTF-8: bytes that are not UTF-8
/// are refused rather than turned into U+FFFD, and a declaration of another encoding is refused
/// rather than sent along (libvirt would get UTF-8 text that claims to be, say, Latin-1).
/// </summary>
public static partial class DomainXmlText
{
    private static readonly UTF8Encoding s_strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The file's bytes as text; a UTF-8 byte order mark is dropped. Throws DomainXmlTextException.</summary>
    public static string Decode(byte[] bytes)
    {
        if (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
        {
            throw new DomainXmlTextException("DomainXmlNotUtf8",
                "The file is UTF-16 (it starts with a UTF-16 byte order mark); libvirt reads domain XML as UTF-8. Convert it first (e.g. iconv -f UTF-16 -t UTF-8).");
        }
        int start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        try
        {
            return s_strict.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException e)
        {
            int at = e.Index >= 0 ? e.Index + start : -1;
            string where = at >= 0 ? $" at byte offset {at}" : "";
            throw new DomainXmlTextException("DomainXmlNotUtf8",
                $"The file is not valid UTF-8 (an invalid byte sequence{where}); libvirt reads domain XML as UTF-8. " +
                "Convert it first (e.g. iconv -f ISO-8859-1 -t UTF-8), or fix the bytes.");
        }
    }

    /// <summary>Refuses an XML declaration that names an encoding other than UTF-8 (US-ASCII passes when the text is ASCII).</summary>
    public static void CheckDeclaration(string text)
    {
        Match m = Declaration().Match(text);
        if (!m.Success)
        {
            return;
        }
        string encoding = m.Groups["enc"].Value;
        string e = encoding.Trim().ToLowerInvariant();
        if (e is "utf-8" or "utf8")
        {
            return;
        }
        if (e is "us-ascii" or "ascii" && text.All(c => c < 0x80))
        {
            return;
        }
        throw new DomainXmlTextException("DomainXmlEncodingNotUtf8",
            $"The XML declares encoding '{encoding}', but libvirt reads domain XML as UTF-8. Convert the text to UTF-8 (e.g. iconv -f {encoding} -t UTF-8) and declare encoding='UTF-8' (or no encoding).");
    }

    /// <summary>
    /// Removes KvmPS's storage-ownership record from a definition's metadata. Returns how many
    /// owned paths it named. Import drops it: ownership is what lets Remove-KvmVM -DeleteStorage
    /// delete files, and a definition from outside must not bring that along unasked.
    /// </summary>
    public static int DropOwnership(XElement domain)
    {
        var records = (domain.Element("metadata")?.Elements(DomainXml.KvmPSNs + "kvmps") ?? Enumerable.Empty<XElement>()).ToList();
        int n = 0;
        foreach (XElement r in records)
        {
            var owned = r.Elements(DomainXml.KvmPSNs + "owned").ToList();
            n += owned.Count;
            owned.ForEach(o => o.Remove());
            // What else the record holds (the OS short id the VM was made with) is kept.
            if (!r.HasElements)
            {
                r.Remove();
            }
        }
        return n;
    }

    [GeneratedRegex("""\A\s*<\?xml\s[^?]*?\bencoding\s*=\s*(["'])(?<enc>[^"']*)\1""")]
    private static partial Regex Declaration();
}

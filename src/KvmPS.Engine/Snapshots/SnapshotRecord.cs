using System.Xml.Linq;
using KvmPS.Engine.Domains;

namespace KvmPS.Engine.Snapshots;

/// <summary>
/// What KvmPS keeps about its snapshots in the VM's own metadata (the kvmps element, beside the
/// ownership record): why each snapshot got its kind, and the files it created as owned entries
/// tagged with the snapshot's name, so that removing the snapshot or the VM deletes only those.
/// </summary>
public static class SnapshotRecord
{
    private static readonly XNamespace Ns = DomainXml.KvmPSNs;

    /// <summary>Adds the record of a new snapshot to a definition (in place).</summary>
    public static void Add(XElement domain, SnapshotPlan plan)
    {
        XElement k = Root(domain);
        string uuid = (string?)domain.Element("uuid") ?? "";
        k.Add(new XElement(Ns + "snapshot", new XAttribute("name", plan.Request.Name), new XAttribute("reason", plan.Reason)));
        foreach (string file in plan.CreatedFiles)
        {
            k.Add(new XElement(Ns + "owned", new XAttribute("path", file), new XAttribute("owner", uuid), new XAttribute("snapshot", plan.Request.Name)));
        }
    }

    /// <summary>Why KvmPS chose the snapshot's kind, or null when KvmPS did not take it.</summary>
    public static string? Reason(XElement domain, string name) =>
        (string?)Entries(domain, "snapshot").FirstOrDefault(e => (string?)e.Attribute("name") == name)?.Attribute("reason");

    /// <summary>The files KvmPS created for the snapshot (owned by this VM).</summary>
    public static List<string> Files(XElement domain, string name)
    {
        var owned = DomainXml.OwnedPaths(domain);
        return Entries(domain, "owned").Where(e => (string?)e.Attribute("snapshot") == name)
            .Select(e => (string?)e.Attribute("path")).OfType<string>().Where(owned.Contains).ToList();
    }

    /// <summary>Every file KvmPS created for snapshots of this VM.</summary>
    public static HashSet<string> AllFiles(XElement domain)
    {
        var owned = DomainXml.OwnedPaths(domain);
        return Entries(domain, "owned").Where(e => e.Attribute("snapshot") is not null)
            .Select(e => (string?)e.Attribute("path")).OfType<string>().Where(owned.Contains).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Drops the record of a snapshot (its files too, when <paramref name="withFiles"/>). Returns whether anything changed.</summary>
    public static bool Remove(XElement domain, string name, bool withFiles = true)
    {
        var gone = Entries(domain, "snapshot").Concat(withFiles ? Entries(domain, "owned") : Enumerable.Empty<XElement>())
            .Where(e => (string?)e.Attribute(e.Name.LocalName == "snapshot" ? "name" : "snapshot") == name).ToList();
        gone.ForEach(e => e.Remove());
        return gone.Count > 0;
    }

    /// <summary>Drops one file from the record (it was deleted, or merged away).</summary>
    public static void RemoveFile(XElement domain, string path) =>
        Entries(domain, "owned").Where(e => (string?)e.Attribute("path") == path && e.Attribute("snapshot") is not null).ToList().ForEach(e => e.Remove());

    /// <summary>Records a file a revert created for a snapshot.</summary>
    public static void AddFile(XElement domain, string name, string path)
    {
        RemoveFile(domain, path);
        Root(domain).Add(new XElement(Ns + "owned", new XAttribute("path", path), new XAttribute("owner", (string?)domain.Element("uuid") ?? ""), new XAttribute("snapshot", name)));
    }

    /// <summary>Renames a snapshot in the record.</summary>
    public static void Rename(XElement domain, string name, string newName)
    {
        foreach (XElement e in Entries(domain, "snapshot").Where(e => (string?)e.Attribute("name") == name))
        {
            e.SetAttributeValue("name", newName);
        }
        foreach (XElement e in Entries(domain, "owned").Where(e => (string?)e.Attribute("snapshot") == name))
        {
            e.SetAttributeValue("snapshot", newName);
        }
    }

    private static IEnumerable<XElement> Entries(XElement domain, string local) =>
        domain.Element("metadata")?.Element(Ns + "kvmps")?.Elements(Ns + local) ?? Enumerable.Empty<XElement>();

    private static XElement Root(XElement domain)
    {
        XElement metadata = domain.Element("metadata") ?? AddMetadata(domain);
        XElement? k = metadata.Element(Ns + "kvmps");
        if (k is null)
        {
            metadata.Add(k = new XElement(Ns + "kvmps", new XAttribute(XNamespace.Xmlns + "kvmps", Ns.NamespaceName)));
        }
        return k;
    }

    private static XElement AddMetadata(XElement domain)
    {
        var m = new XElement("metadata");
        (domain.Element("uuid") ?? domain.Element("name"))!.AddAfterSelf(m);
        return m;
    }
}

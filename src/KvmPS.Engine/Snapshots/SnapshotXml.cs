using System.Xml.Linq;

namespace KvmPS.Engine.Snapshots;

/// <summary>Reads libvirt's domainsnapshot XML into the public object, and changes it for a redefine.</summary>
public static class SnapshotXml
{
    /// <summary>The snapshot as the public object; the tree facts (children, current) and KvmPS's record come from the caller.</summary>
    public static KvmSnapshot Read(string xml, string vmName, Guid vmUuid, string uri, bool isCurrent,
        IEnumerable<string> children, string? reason, ISet<string> owned)
    {
        XElement s = SafeXml.Parse(xml);
        XElement? memory = s.Element("memory");
        string memoryKind = (string?)memory?.Attribute("snapshot") ?? "no";
        var disks = (s.Element("disks")?.Elements("disk") ?? Enumerable.Empty<XElement>()).Select(d =>
        {
            string? file = (string?)d.Element("source")?.Attribute("file") ?? (string?)d.Element("source")?.Attribute("dev");
            return new KvmSnapshotDisk
            {
                Target = (string?)d.Attribute("name") ?? "",
                Kind = KindOf((string?)d.Attribute("snapshot")),
                File = file,
                OwnedByVM = file is not null && owned.Contains(file),
            };
        }).ToArray();
        long created = long.TryParse((string?)s.Element("creationTime"), out long t) ? t : 0;
        return new KvmSnapshot
        {
            VMName = vmName,
            VMUuid = vmUuid,
            Name = (string?)s.Element("name") ?? "",
            Description = (string?)s.Element("description"),
            Parent = (string?)s.Element("parent")?.Element("name"),
            Children = children.Order(StringComparer.Ordinal).ToArray(),
            IsCurrent = isCurrent,
            CreationTime = DateTimeOffset.FromUnixTimeSeconds(created).LocalDateTime,
            State = StateOf((string?)s.Element("state")),
            Kind = disks.Any(d => d.Kind == KvmSnapshotKind.External) || memoryKind == "external" ? KvmSnapshotKind.External
                : disks.Any(d => d.Kind == KvmSnapshotKind.Internal) || memoryKind == "internal" ? KvmSnapshotKind.Internal : KvmSnapshotKind.None,
            IncludesMemory = memoryKind is "internal" or "external",
            MemoryFile = (string?)memory?.Attribute("file"),
            Disks = disks,
            Reason = reason,
            Uri = uri,
        };
    }

    /// <summary>The parent's name in a snapshot's XML, or null for a root.</summary>
    public static string? ParentOf(string xml) => (string?)SafeXml.Parse(xml).Element("parent")?.Element("name");

    /// <summary>
    /// The snapshot's XML with a new name and/or description, for a redefine (libvirt has no
    /// rename: the snapshot is defined again under the new name, with the same state).
    /// </summary>
    public static string Redefined(string xml, string? newName, string? description, bool setDescription)
    {
        XElement s = SafeXml.Parse(xml);
        if (newName is not null)
        {
            s.Element("name")!.Value = newName;
        }
        if (setDescription)
        {
            s.Element("description")?.Remove();
            if (!string.IsNullOrEmpty(description))
            {
                s.Element("name")!.AddAfterSelf(new XElement("description", description));
            }
        }
        return s.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>A child's XML whose parent is now <paramref name="parent"/> (null: a root).</summary>
    public static string WithParent(string xml, string? parent)
    {
        XElement s = SafeXml.Parse(xml);
        s.Element("parent")?.Remove();
        if (parent is not null)
        {
            s.Element("name")!.AddAfterSelf(new XElement("parent", new XElement("name", parent)));
        }
        return s.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>The VM definition saved in the snapshot (the disks as they were when it was taken).</summary>
    public static XElement? DomainOf(string xml) => SafeXml.Parse(xml).Element("domain");

    public static KvmSnapshotKind KindOf(string? value) => value switch
    {
        "internal" => KvmSnapshotKind.Internal,
        "external" => KvmSnapshotKind.External,
        _ => KvmSnapshotKind.None,
    };

    private static string StateOf(string? s) => s switch
    {
        "running" => "Running",
        "paused" => "Paused",
        "shutoff" => "ShutOff",
        "shutdown" => "Shutdown",
        "crashed" => "Crashed",
        "pmsuspended" => "PMSuspended",
        "blocked" => "Blocked",
        "disk-snapshot" => "DiskSnapshot",
        null or "" => "NoState",
        _ => s,
    };
}

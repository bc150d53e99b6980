using System.Xml;
using System.Xml.Linq;

namespace KvmPS.Engine.Domains;

/// <summary>
/// The libosinfo OS database (Debian's osinfo-db) read from its XML files: what virt-install
/// consults to pick machine type and devices. Loaded once per process, read-only afterwards, so
/// it is safe to share between runspaces and threads.
/// </summary>
public sealed class OsInfoDatabase
{
    private const string Q35 = "http://qemu.org/chipset/x86/q35";
    private static readonly string[] VirtioNet = { "http://pcisig.com/pci/1af4/1000", "http://pcisig.com/pci/1af4/1041" };
    private static readonly string[] VirtioDisk = { "http://pcisig.com/pci/1af4/1001", "http://pcisig.com/pci/1af4/1042" };
    private const string Virtio1Net = "http://pcisig.com/pci/1af4/1041";

    private static readonly Lazy<OsInfoDatabase> s_default = new(() => Load(DefaultRoots()));

    private readonly Dictionary<string, OsInfoEntry> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OsInfoEntry> _byShortId = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The system database (OSINFO_DB_PATH, /etc/osinfo, /usr/share/osinfo, /usr/local/share/osinfo).</summary>
    public static OsInfoDatabase Default => s_default.Value;

    public IReadOnlyCollection<OsInfoEntry> Entries => _byId.Values;

    public bool IsEmpty => _byId.Count == 0;

    private static IEnumerable<string> DefaultRoots()
    {
        string? env = Environment.GetEnvironmentVariable("OSINFO_DB_PATH");
        if (!string.IsNullOrEmpty(env))
        {
            foreach (string p in env.Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                yield return p;
            }
        }
        yield return "/usr/share/osinfo";
        yield return "/usr/local/share/osinfo";
        yield return "/etc/osinfo";
    }

    /// <summary>Reads every os/**/*.xml below the given roots (later roots override earlier ids).</summary>
    public static OsInfoDatabase Load(IEnumerable<string> roots)
    {
        var files = new List<string>();
        foreach (string root in roots)
        {
            string osDir = Path.Combine(root, "os");
            if (Directory.Exists(osDir))
            {
                files.AddRange(Directory.EnumerateFiles(osDir, "*.xml", SearchOption.AllDirectories));
            }
        }
        // About 900 files: parsed in parallel, added in their order so that later roots win.
        // One OS may be spread over several files: win-10.xml holds the OS, win-10.d/*.xml add
        // its drivers under the same id (with a short id and name but no derives-from or
        // devices). Like libosinfo, every <os> of an id adds to one entry instead of replacing it.
        var merged = new Dictionary<string, XElement>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (List<XElement> entries in files.AsParallel().AsOrdered().Select(ReadOsElements))
        {
            foreach (XElement os in entries)
            {
                string id = (string?)os.Attribute("id") ?? "";
                if (merged.TryGetValue(id, out XElement? into))
                {
                    Merge(into, os);
                }
                else
                {
                    merged[id] = os;
                    order.Add(id);
                }
            }
        }
        var db = new OsInfoDatabase();
        foreach (string id in order)
        {
            db.Add(Parse(merged[id]));
        }
        return db;
    }

    // Lists (short ids, relations, devices, firmware) are joined, a later part winning a device;
    // a single value (name, version, family, ...) a later part gives replaces the earlier one
    // (a later root overrides), one it leaves out is kept.
    private static void Merge(XElement into, XElement part)
    {
        foreach (XElement child in part.Elements())
        {
            string n = child.Name.LocalName;
            if (n is "short-id" or "derives-from" or "clones" or "upgrades")
            {
                string key = n == "short-id" ? child.Value.Trim() : (string?)child.Attribute("id") ?? "";
                if (!into.Elements(child.Name).Any(e => (n == "short-id" ? e.Value.Trim() : (string?)e.Attribute("id") ?? "") == key))
                {
                    into.Add(new XElement(child));
                }
            }
            else if (n is "devices" or "firmware" or "boot" || child.Attribute(XNamespace.Xml + "lang") is not null)
            {
                into.Add(new XElement(child));
            }
            else
            {
                into.Elements(child.Name).Where(e => e.Attribute(XNamespace.Xml + "lang") is null).Remove();
                into.Add(new XElement(child));
            }
        }
    }

    // The children of <os> that Parse reads; the rest (installers, resources, and of media and
    // trees all but their kernel and initrd: most of each file) is skipped unparsed.
    private static readonly HashSet<string> s_wanted = new(StringComparer.Ordinal)
    {
        "short-id", "name", "version", "family", "distro", "release-date", "eol-date", "derives-from", "clones", "upgrades", "devices", "firmware",
    };

    private static readonly XmlReaderSettings s_readerSettings = new()
    {
        IgnoreComments = true, IgnoreWhitespace = true, IgnoreProcessingInstructions = true, DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null,
    };

    /// <summary>The &lt;os&gt; elements of one file, reduced to what Parse reads; none for a broken file.</summary>
    private static List<XElement> ReadOsElements(string file)
    {
        var found = new List<XElement>();
        try
        {
            using XmlReader r = XmlReader.Create(file, s_readerSettings);
            while (r.Read())
            {
                if (r.NodeType != XmlNodeType.Element || r.Depth != 1 || r.LocalName != "os")
                {
                    continue;
                }
                var os = new XElement("os", new XAttribute("id", r.GetAttribute("id") ?? ""));
                found.Add(os);
                if (r.IsEmptyElement)
                {
                    continue;
                }
                r.Read();
                while (!(r.NodeType == XmlNodeType.EndElement && r.Depth == 1) && !r.EOF)
                {
                    if (r.NodeType != XmlNodeType.Element)
                    {
                        r.Read();
                    }
                    else if (r.LocalName is "media" or "tree")
                    {
                        // Only where an install medium keeps its kernel and initrd.
                        var m = (XElement)XNode.ReadFrom(r);
                        if (m.Element("kernel") is XElement k)
                        {
                            os.Add(new XElement("boot", new XAttribute("arch", (string?)m.Attribute("arch") ?? ""),
                                new XAttribute("kernel", k.Value.Trim()), new XAttribute("initrd", ((string?)m.Element("initrd"))?.Trim() ?? "")));
                        }
                    }
                    else if (s_wanted.Contains(r.LocalName))
                    {
                        os.Add(XNode.ReadFrom(r)); // leaves the reader after the element
                    }
                    else
                    {
                        r.Skip();
                    }
                }
            }
        }
        catch (XmlException)
        {
            return new List<XElement>(); // a broken file must not hide the rest of the database
        }
        return found;
    }

    private void Add(OsInfoEntry e)
    {
        _byId[e.Id] = e;
        foreach (string s in e.ShortIds)
        {
            _byShortId[s] = e;
        }
    }

    private static OsInfoEntry Parse(XElement os) => new()
    {
        Id = (string?)os.Attribute("id") ?? "",
        ShortIds = os.Elements("short-id").Select(s => s.Value.Trim()).ToArray(),
        Name = os.Elements("name").FirstOrDefault(n => n.Attribute(XNamespace.Xml + "lang") is null)?.Value ?? "",
        Version = (string?)os.Element("version"),
        Family = (string?)os.Element("family"),
        Distro = (string?)os.Element("distro"),
        ReleaseDate = (string?)os.Element("release-date"),
        EolDate = (string?)os.Element("eol-date"),
        DerivesFrom = os.Elements("derives-from").Select(x => (string?)x.Attribute("id")).OfType<string>().ToArray(),
        Clones = os.Elements("clones").Select(x => (string?)x.Attribute("id")).OfType<string>().ToArray(),
        Upgrades = os.Elements("upgrades").Select(x => (string?)x.Attribute("id")).OfType<string>().ToArray(),
        OwnFirmware = os.Elements("firmware")
            .Where(f => f.Attribute("arch") is not null && f.Attribute("type") is not null)
            .GroupBy(f => $"{(string)f.Attribute("arch")!}/{(string)f.Attribute("type")!}")
            .ToDictionary(g => g.Key, g => (string?)g.Last().Attribute("supported") != "false"),
        BootFiles = os.Elements("boot")
            .Select(b => new OsInfoBootFiles((string)b.Attribute("arch")!, (string)b.Attribute("kernel")!, (string)b.Attribute("initrd")!))
            .Distinct().ToArray(),
        OwnDevices = os.Elements("devices").SelectMany(d => d.Elements("device"))
            .Where(d => d.Attribute("id") is not null)
            .GroupBy(d => (string)d.Attribute("id")!)
            .ToDictionary(g => g.Key, g => (string?)g.Last().Attribute("supported") != "false"),
    };

    /// <summary>Finds an OS by short id (ubuntu22.04) or full id (http://ubuntu.com/ubuntu/22.04).</summary>
    public OsInfoEntry? Find(string idOrShortId) =>
        _byShortId.TryGetValue(idOrShortId, out var e) ? e : _byId.TryGetValue(idOrShortId, out e) ? e : null;

    /// <summary>The closest short ids to a misspelt one, best first.</summary>
    public IReadOnlyList<string> Suggest(string wrong, int count = 5) =>
        _byShortId.Keys
            .Select(k => (k, d: Distance(wrong.ToLowerInvariant(), k.ToLowerInvariant())))
            .OrderBy(x => x.d).ThenBy(x => x.k, StringComparer.Ordinal)
            .Take(count).Select(x => x.k).ToList();

    /// <summary>Every device the OS supports, following derives-from and clones (nearer entries win).</summary>
    public HashSet<string> DevicesOf(OsInfoEntry os)
    {
        var decided = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (OsInfoEntry e in Lineage(os, withUpgrades: false))
        {
            foreach (var (dev, supported) in e.OwnDevices)
            {
                decided.TryAdd(dev, supported);
            }
        }
        return decided.Where(kv => kv.Value).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Whether the OS supports a firmware type (efi, bios) on an architecture, as libosinfo's
    /// complete firmware list says (the nearest entry that lists it); null when none does.
    /// </summary>
    public bool? SupportsFirmware(OsInfoEntry os, string arch, string type)
    {
        foreach (OsInfoEntry e in Lineage(os, withUpgrades: false))
        {
            if (e.OwnFirmware.TryGetValue($"{arch}/{type}", out bool supported))
            {
                return supported;
            }
        }
        return null;
    }

    /// <summary>Whether the OS is the one of a short id or derives from, clones or upgrades it (virt-install's _is_related_to).</summary>
    public bool IsRelatedTo(OsInfoEntry os, string shortId) =>
        Lineage(os, withUpgrades: true).Any(e => string.Equals(e.ShortId, shortId, StringComparison.Ordinal));

    /// <summary>The OS, then the OSes it derives from or clones (and upgrades, if asked), nearest first, each once.</summary>
    public IEnumerable<OsInfoEntry> Lineage(OsInfoEntry os, bool withUpgrades)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<OsInfoEntry>();
        queue.Enqueue(os);
        while (queue.Count > 0)
        {
            OsInfoEntry e = queue.Dequeue();
            if (!seen.Add(e.Id))
            {
                continue;
            }
            yield return e;
            IEnumerable<string> parents = e.DerivesFrom.Concat(e.Clones);
            foreach (string parent in withUpgrades ? parents.Concat(e.Upgrades) : parents)
            {
                if (_byId.TryGetValue(parent, out var p))
                {
                    queue.Enqueue(p);
                }
            }
        }
    }

    /// <summary>virt-install's rule: q35 when the OS lists the q35 chipset and, if it has virtio-net, virtio 1.0 too.</summary>
    public bool SupportsQ35(OsInfoEntry os)
    {
        var devs = DevicesOf(os);
        if (VirtioNet.Any(devs.Contains) && !devs.Contains(Virtio1Net))
        {
            return false;
        }
        return devs.Contains(Q35);
    }

    public bool SupportsVirtioNet(OsInfoEntry os) => VirtioNet.Any(DevicesOf(os).Contains);

    public bool SupportsVirtioDisk(OsInfoEntry os) => VirtioDisk.Any(DevicesOf(os).Contains);

    /// <summary>Levenshtein edit distance, for the closest-match hints (OS variants, CPU features).</summary>
    internal static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            prev[j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}

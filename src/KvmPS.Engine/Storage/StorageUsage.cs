using System.Xml.Linq;
using KvmPS.Engine.Devices;

namespace KvmPS.Engine.Storage;

/// <summary>
/// Which VMs of a host use which storage: the sources of their disks, CD-ROMs and seeds, and the
/// images under them (backing chains), from the running and the persistent definitions of every
/// domain. Read once, before the first delete, so that every check sees the same host.
/// </summary>
public sealed class StorageUsage
{
    // A chain deeper than this is a loop or a broken image; what was found so far still counts.
    private const int MaxChainDepth = 64;

    private readonly Dictionary<string, HashSet<string>> _usersByPath = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _usersByPool = new(StringComparer.Ordinal);

    private StorageUsage()
    {
    }

    /// <summary>
    /// The usage of every domain of the host (defined and running). Backing files are read from
    /// libvirt's volume definition when a pool holds the image (works on a remote host), else from
    /// the image header when the host is this machine.
    /// </summary>
    public static StorageUsage Read(LibvirtConnection conn) =>
        From(HostDomains.Read(conn).Definitions, p => BackingOf(conn, p), (pool, vol) => VolumePath(conn, pool, vol));

    /// <summary>
    /// The usage of fixed definitions. <paramref name="backingOf"/> names the image a path is an
    /// overlay on (null when none); <paramref name="volumePath"/> resolves a pool/volume disk source.
    /// </summary>
    public static StorageUsage From(IEnumerable<(string Name, XElement Xml)> definitions,
        Func<string, string?> backingOf, Func<string, string, string?>? volumePath = null)
    {
        var usage = new StorageUsage();
        var backingCache = new Dictionary<string, string?>(StringComparer.Ordinal);
        string? Backing(string p)
        {
            if (!backingCache.TryGetValue(p, out string? b))
            {
                b = backingOf(p) is string raw ? Resolve(raw, p) : null;
                backingCache[p] = b;
            }
            return b;
        }
        foreach ((string name, XElement xml) in definitions)
        {
            foreach (XElement disk in DeviceXml.Disks(xml))
            {
                if (disk.Element("source") is XElement src && (string?)src.Attribute("pool") is string pool)
                {
                    Add(usage._usersByPool, pool, name);
                }
                foreach (string path in ChainInXml(disk, volumePath))
                {
                    usage.AddChain(path, name, Backing);
                }
            }
        }
        return usage;
    }

    /// <summary>
    /// The sources of a definition's disks, CD-ROMs and seeds (file, block device, or pool volume
    /// resolved to its path), without the images under them.
    /// </summary>
    public static HashSet<string> SourcePaths(XElement domain, Func<string, string, string?>? volumePath = null) =>
        DeviceXml.Disks(domain).Select(d => SourceOf(d.Element("source"), volumePath)).OfType<string>()
            .Select(Normalize).ToHashSet(StringComparer.Ordinal);

    /// <summary>The VMs (other than <paramref name="except"/>) that use the path, directly or under an overlay.</summary>
    public IReadOnlyList<string> UsersOf(string path, string? except = null) =>
        _usersByPath.TryGetValue(Normalize(path), out HashSet<string>? users)
            ? users.Where(u => u != except).Order(StringComparer.Ordinal).ToList()
            : Array.Empty<string>();

    /// <summary>The paths among <paramref name="paths"/> that other VMs use, each with the VMs.</summary>
    public IReadOnlyList<(string Path, IReadOnlyList<string> Users)> Used(IEnumerable<string> paths, string? except = null) =>
        paths.Distinct(StringComparer.Ordinal).Select(p => (p, UsersOf(p, except))).Where(t => t.Item2.Count > 0).ToList();

    /// <summary>
    /// The VMs that use storage of a pool: a disk that names the pool, or an image (or its
    /// backing image) at one of the pool's volume paths or under its directory.
    /// </summary>
    public IReadOnlyList<string> UsersOfPool(string pool, IEnumerable<string> volumePaths, string? directory)
    {
        var users = new HashSet<string>(StringComparer.Ordinal);
        if (_usersByPool.TryGetValue(pool, out HashSet<string>? named))
        {
            users.UnionWith(named);
        }
        foreach (string p in volumePaths)
        {
            users.UnionWith(UsersOf(p));
        }
        if (!string.IsNullOrEmpty(directory) && Path.IsPathRooted(directory))
        {
            string prefix = Normalize(directory).TrimEnd('/') + "/";
            foreach ((string path, HashSet<string> u) in _usersByPath)
            {
                if (path.StartsWith(prefix, StringComparison.Ordinal))
                {
                    users.UnionWith(u);
                }
            }
        }
        return users.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>How a refusal names the users of storage: "'path' (used by a, b)".</summary>
    public static string Describe(IEnumerable<(string Path, IReadOnlyList<string> Users)> used) =>
        string.Join("; ", used.Select(u => $"'{u.Path}' (used by {string.Join(", ", u.Users)})"));

    private void AddChain(string path, string vm, Func<string, string?> backing)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? p = Normalize(path);
        for (int depth = 0; p is not null && depth < MaxChainDepth && seen.Add(p); depth++)
        {
            Add(_usersByPath, p, vm);
            p = backing(p) is string b ? Normalize(b) : null;
        }
    }

    // The disk's source and the <backingStore> chain libvirt reports in a running VM's XML.
    private static IEnumerable<string> ChainInXml(XElement disk, Func<string, string, string?>? volumePath)
    {
        for (XElement? e = disk; e is not null; e = e.Element("backingStore"))
        {
            if (SourceOf(e.Element("source"), volumePath) is string p)
            {
                yield return p;
            }
        }
    }

    private static string? SourceOf(XElement? src, Func<string, string, string?>? volumePath)
    {
        if (src is null)
        {
            return null;
        }
        if (((string?)src.Attribute("file") ?? (string?)src.Attribute("dev")) is string path && path.Length > 0)
        {
            return path;
        }
        if ((string?)src.Attribute("pool") is string pool && (string?)src.Attribute("volume") is string vol && volumePath is not null)
        {
            return volumePath(pool, vol);
        }
        return null;
    }

    private static void Add(Dictionary<string, HashSet<string>> map, string key, string vm)
    {
        if (!map.TryGetValue(key, out HashSet<string>? set))
        {
            map[key] = set = new HashSet<string>(StringComparer.Ordinal);
        }
        set.Add(vm);
    }

    /// <summary>An absolute path without "." and ".." parts (no file system access); others as given.</summary>
    public static string Normalize(string path) => Path.IsPathRooted(path) ? Path.GetFullPath(path) : path;

    // A relative backing file name is relative to the directory of its overlay, as in qemu.
    private static string? Resolve(string backing, string overlay)
    {
        if (backing.Length == 0 || backing.StartsWith('(') || backing.Contains("://", StringComparison.Ordinal))
        {
            return null; // unreadable, or a network URL: no host path to protect
        }
        if (Path.IsPathRooted(backing))
        {
            return backing;
        }
        string? dir = Path.GetDirectoryName(overlay);
        return dir is null ? null : Path.Combine(dir, backing);
    }

    /// <summary>The image a host path is an overlay on, from its volume definition or (on this machine) its header.</summary>
    public static string? BackingOf(LibvirtConnection conn, string path)
    {
        try
        {
            using (StorageVolume? vol = StorageVolume.TryLookupByPath(conn, path))
            {
                if (vol is not null)
                {
                    return vol.GetDefinition().BackingPath;
                }
            }
        }
        catch (LibvirtException)
        {
            // A driver without storage, or a pool that went away: fall back to the file.
        }
        if (!conn.IsLocal || DiskSource.IsBlockDevicePath(path) || !File.Exists(path))
        {
            return null;
        }
        try
        {
            return ImageProbe.ReadHeader(path).BackingFile;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? VolumePath(LibvirtConnection conn, string pool, string volume)
    {
        try
        {
            using StoragePool? p = StoragePool.TryLookup(conn, pool);
            using StorageVolume? v = p?.TryLookupVolume(volume);
            return v?.GetDefinition().Path;
        }
        catch (LibvirtException)
        {
            return null; // an inactive pool: its disks are still counted through the pool name
        }
    }
}

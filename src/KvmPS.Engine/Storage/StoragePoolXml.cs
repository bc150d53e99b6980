using System.Globalization;
using System.Xml.Linq;

namespace KvmPS.Engine.Storage;

/// <summary>
/// Storage pool XML (libvirt's storagepool schema): checks a request and fills its defaults,
/// builds the XML to define, reads a pool's XML back, and compares two definitions.
/// </summary>
public static class StoragePoolXml
{
    private static readonly (KvmStoragePoolType Type, string Name)[] s_typeNames =
    {
        (KvmStoragePoolType.Dir, "dir"), (KvmStoragePoolType.Fs, "fs"), (KvmStoragePoolType.NetFs, "netfs"),
        (KvmStoragePoolType.Logical, "logical"), (KvmStoragePoolType.Disk, "disk"), (KvmStoragePoolType.Iscsi, "iscsi"),
        (KvmStoragePoolType.IscsiDirect, "iscsi-direct"), (KvmStoragePoolType.Scsi, "scsi"), (KvmStoragePoolType.Mpath, "mpath"),
        (KvmStoragePoolType.Rbd, "rbd"), (KvmStoragePoolType.Sheepdog, "sheepdog"), (KvmStoragePoolType.Gluster, "gluster"),
        (KvmStoragePoolType.Zfs, "zfs"), (KvmStoragePoolType.Vstorage, "vstorage"),
    };

    /// <summary>The pool types New-KvmStoragePool builds XML for.</summary>
    public static readonly IReadOnlyList<KvmStoragePoolType> CreatableTypes = new[]
    {
        KvmStoragePoolType.Dir, KvmStoragePoolType.Fs, KvmStoragePoolType.NetFs,
        KvmStoragePoolType.Logical, KvmStoragePoolType.Rbd, KvmStoragePoolType.Iscsi,
    };

    // File system types libvirt accepts in <source><format> (storagepool.rng sourcefmtfs/netfs).
    private static readonly string[] s_fsFormats =
        { "auto", "ext2", "ext3", "ext4", "ufs", "iso9660", "udf", "gfs", "gfs2", "vfat", "hfs+", "xfs", "ocfs2", "vmfs" };
    private static readonly string[] s_netFsFormats = { "auto", "nfs", "glusterfs", "cifs" };

    public static string TypeName(KvmStoragePoolType type) =>
        s_typeNames.FirstOrDefault(t => t.Type == type).Name ?? throw new ArgumentOutOfRangeException(nameof(type));

    public static KvmStoragePoolType ParseType(string? name) =>
        s_typeNames.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal)).Type;

    /// <summary>
    /// Checks a request for its pool type and fills the defaults (the volume group or Ceph pool
    /// named after the pool, the usual target directories, format auto). Throws ArgumentException
    /// naming every problem, before anything is defined.
    /// </summary>
    public static StoragePoolDefinition Plan(StoragePoolDefinition request)
    {
        var problems = new List<string>();
        var r = request with
        {
            Name = request.Name.Trim(),
            Path = NullIfEmpty(request.Path),
            SourcePath = NullIfEmpty(request.SourcePath),
            SourceName = NullIfEmpty(request.SourceName),
            SourceFormat = NullIfEmpty(request.SourceFormat)?.ToLowerInvariant(),
            SourceDevices = request.SourceDevices.Where(d => !string.IsNullOrWhiteSpace(d)).Select(d => d.Trim()).ToArray(),
            TypeName = CreatableTypes.Contains(request.Type) ? TypeName(request.Type) : request.TypeName,
        };
        if (ObjectName.Validate("storage pool", request.Name) is string badName)
        {
            problems.Add(badName);
        }
        if (!CreatableTypes.Contains(r.Type))
        {
            throw new ArgumentException($"Pools of type {r.Type} cannot be created here; types: {string.Join(", ", CreatableTypes)}.");
        }

        bool hasTarget = r.Type != KvmStoragePoolType.Rbd;
        bool pathRequired = r.Type is KvmStoragePoolType.Dir or KvmStoragePoolType.Fs or KvmStoragePoolType.NetFs;
        Allow(problems, r, hosts: r.Type is KvmStoragePoolType.NetFs or KvmStoragePoolType.Rbd or KvmStoragePoolType.Iscsi,
            sourcePath: r.Type is KvmStoragePoolType.NetFs,
            devices: r.Type is KvmStoragePoolType.Fs or KvmStoragePoolType.Logical or KvmStoragePoolType.Iscsi,
            sourceName: r.Type is KvmStoragePoolType.Logical or KvmStoragePoolType.Rbd,
            format: r.Type is KvmStoragePoolType.Fs or KvmStoragePoolType.NetFs);

        if (!hasTarget && r.Path is not null)
        {
            problems.Add($"{r.Type} pools have no target path: leave out -Path.");
        }
        if (pathRequired && r.Path is null)
        {
            problems.Add($"{r.Type} pools need a target path (-Path).");
        }

        switch (r.Type)
        {
            case KvmStoragePoolType.Fs:
                if (r.SourceDevices.Count != 1)
                {
                    problems.Add("Fs pools need exactly one source device (-SourceDevice), e.g. /dev/sdb1.");
                }
                r = r with { SourceFormat = CheckFormat(problems, r.SourceFormat ?? "auto", s_fsFormats) };
                break;
            case KvmStoragePoolType.NetFs:
                if (r.SourceHosts.Count != 1)
                {
                    problems.Add("NetFs pools need one source host (-SourceHost), the file server.");
                }
                r = r with { SourceFormat = CheckFormat(problems, r.SourceFormat ?? "auto", s_netFsFormats) };
                bool relativeAllowed = r.SourceFormat is "cifs" or "glusterfs";
                if (r.SourcePath is null)
                {
                    problems.Add("NetFs pools need the exported directory (-SourcePath), e.g. /export/images.");
                }
                else if (!relativeAllowed && !r.SourcePath.StartsWith('/'))
                {
                    problems.Add($"The NFS export '{r.SourcePath}' must be an absolute path.");
                }
                break;
            case KvmStoragePoolType.Logical:
                r = r with { SourceName = r.SourceName ?? r.Name, SourceFormat = "lvm2" };
                r = r with { Path = r.Path ?? "/dev/" + r.SourceName };
                break;
            case KvmStoragePoolType.Rbd:
                r = r with { SourceName = r.SourceName ?? r.Name };
                if (r.SourceHosts.Count == 0)
                {
                    problems.Add("Rbd pools need at least one Ceph monitor (-SourceHost).");
                }
                break;
            case KvmStoragePoolType.Iscsi:
                r = r with { Path = r.Path ?? "/dev/disk/by-path" };
                if (r.SourceHosts.Count != 1)
                {
                    problems.Add("Iscsi pools need one portal (-SourceHost).");
                }
                if (r.SourceDevices.Count != 1)
                {
                    problems.Add("Iscsi pools need the target's IQN as the source device (-SourceDevice).");
                }
                break;
        }
        if (r.Path is not null)
        {
            if (!r.Path.StartsWith('/'))
            {
                problems.Add($"The target path '{r.Path}' must be absolute.");
            }
            r = r with { Path = NormalizePath(r.Path) };
        }
        if (r.Type is KvmStoragePoolType.Fs or KvmStoragePoolType.Logical)
        {
            problems.AddRange(r.SourceDevices.Where(d => !d.StartsWith('/')).Select(d => $"The source device '{d}' must be an absolute path."));
        }
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems));
        }
        return r;
    }

    private static void Allow(List<string> problems, StoragePoolDefinition r, bool hosts, bool sourcePath, bool devices, bool sourceName, bool format)
    {
        void Reject(bool given, string parameter)
        {
            if (given)
            {
                problems.Add($"{r.Type} pools do not take {parameter}.");
            }
        }
        Reject(!hosts && r.SourceHosts.Count > 0, "-SourceHost");
        Reject(!sourcePath && r.SourcePath is not null, "-SourcePath");
        Reject(!devices && r.SourceDevices.Count > 0, "-SourceDevice");
        Reject(!sourceName && r.SourceName is not null, "-SourceName");
        Reject(!format && r.SourceFormat is not null, "-SourceFormat");
    }

    private static string CheckFormat(List<string> problems, string format, string[] allowed)
    {
        if (!allowed.Contains(format))
        {
            problems.Add($"Source format '{format}' is not one of: {string.Join(", ", allowed)}.");
        }
        return format;
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>Drops trailing and doubled slashes so that /a/b/ and /a//b name the same directory.</summary>
    public static string NormalizePath(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return path.StartsWith('/') ? "/" + string.Join('/', parts) : string.Join('/', parts);
    }

    /// <summary>The XML to define a planned pool.</summary>
    public static string Build(StoragePoolDefinition d)
    {
        var pool = new XElement("pool", new XAttribute("type", d.TypeName), new XElement("name", d.Name));
        if (d.Uuid is Guid uuid)
        {
            pool.Add(new XElement("uuid", uuid.ToString("D")));
        }
        var source = new XElement("source");
        foreach (StorageHost h in d.SourceHosts)
        {
            source.Add(new XElement("host", new XAttribute("name", h.Name),
                h.Port is int port ? new XAttribute("port", port.ToString(CultureInfo.InvariantCulture)) : null));
        }
        if (d.SourcePath is not null)
        {
            source.Add(new XElement("dir", new XAttribute("path", d.SourcePath)));
        }
        foreach (string dev in d.SourceDevices)
        {
            source.Add(new XElement("device", new XAttribute("path", dev)));
        }
        if (d.SourceName is not null)
        {
            source.Add(new XElement("name", d.SourceName));
        }
        if (d.SourceFormat is not null)
        {
            source.Add(new XElement("format", new XAttribute("type", d.SourceFormat)));
        }
        if (source.HasElements)
        {
            pool.Add(source);
        }
        if (d.Path is not null)
        {
            pool.Add(new XElement("target", new XElement("path", d.Path)));
        }
        return pool.ToString();
    }

    /// <summary>Reads a pool's XML (virStoragePoolGetXMLDesc) into a definition.</summary>
    public static StoragePoolDefinition Parse(string xml)
    {
        XElement pool = SafeXml.Parse(xml);
        string typeName = (string?)pool.Attribute("type") ?? "";
        XElement? source = pool.Element("source");
        return new StoragePoolDefinition
        {
            Name = pool.Element("name")?.Value ?? "",
            TypeName = typeName,
            Type = ParseType(typeName),
            Uuid = Guid.TryParse(pool.Element("uuid")?.Value, out Guid g) ? g : null,
            Path = NullIfEmpty(pool.Element("target")?.Element("path")?.Value),
            SourceHosts = source?.Elements("host")
                .Select(h => new StorageHost((string?)h.Attribute("name") ?? "", (int?)h.Attribute("port")))
                .ToArray() ?? Array.Empty<StorageHost>(),
            SourcePath = NullIfEmpty((string?)source?.Element("dir")?.Attribute("path")),
            SourceDevices = source?.Elements("device").Select(e => (string?)e.Attribute("path") ?? "").Where(p => p.Length > 0)
                .ToArray() ?? Array.Empty<string>(),
            SourceName = NullIfEmpty(source?.Element("name")?.Value),
            SourceFormat = NullIfEmpty((string?)source?.Element("format")?.Attribute("type")),
        };
    }

    /// <summary>
    /// How an existing pool differs from a planned one, one phrase per difference; empty when the
    /// request converges. The UUID (libvirt's choice) is not compared.
    /// </summary>
    public static IReadOnlyList<string> Differences(StoragePoolDefinition existing, StoragePoolDefinition wanted)
    {
        var diffs = new List<string>();
        void Compare(string what, string? have, string? want)
        {
            if (!string.Equals(have ?? "", want ?? "", StringComparison.Ordinal))
            {
                diffs.Add($"{what} is '{have}', not '{want}'");
            }
        }
        Compare("type", existing.TypeName, wanted.TypeName);
        Compare("target path", existing.Path is null ? null : NormalizePath(existing.Path), wanted.Path);
        Compare("source host", string.Join(",", existing.SourceHosts), string.Join(",", wanted.SourceHosts));
        Compare("source path", existing.SourcePath, wanted.SourcePath);
        Compare("source device", string.Join(",", existing.SourceDevices.Order(StringComparer.Ordinal)),
            string.Join(",", wanted.SourceDevices.Order(StringComparer.Ordinal)));
        Compare("source name", existing.SourceName, wanted.SourceName);
        // libvirt writes format auto for a file system pool defined without one.
        if (wanted.Type is KvmStoragePoolType.Fs or KvmStoragePoolType.NetFs)
        {
            Compare("source format", existing.SourceFormat ?? "auto", wanted.SourceFormat ?? "auto");
        }
        return diffs;
    }
}

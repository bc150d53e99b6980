using System.Globalization;
using System.Text;
using KvmPS.Engine.Native;

namespace KvmPS.Engine.HostChecks;

/// <summary>
/// <see cref="IHostFileSystem"/> over a directory tree. On the live system ("/") devices are
/// read with statx and access is the kernel's answer. A fixture tree cannot hold device nodes in
/// git, so it describes them in <c>devices.manifest</c> at its root, one per line:
/// <c>/dev/kvm c 10:232 0660 0:107</c> (path, c or b, major:minor, octal mode, uid:gid); the
/// current user is the one its <c>proc/self/status</c> names. Symbolic links (sysfs is made of
/// them, and a build's copy of a tree would lose real ones) are manifest lines too:
/// <c>/sys/block/sda l ../devices/pci0000:00/0000:00:17.0/…/block/sda</c> (path, l, target).
/// </summary>
public sealed class HostFileSystem : IHostFileSystem
{
    public const string ManifestName = "devices.manifest";

    /// <summary>Environment variable that points the host checks at another root (tests and demos).</summary>
    public const string RootVariable = "KVMPS_HOST_ROOT";

    private const int MaxLinkHops = 40;

    private readonly Dictionary<string, HostNode>? _devices;
    private readonly Dictionary<string, string>? _links;

    public HostFileSystem(string root)
    {
        Root = Path.GetFullPath(root);
        IsLive = Root == "/";
        if (!IsLive)
        {
            _devices = ReadManifest(Path.Combine(Root, ManifestName));
            _links = ReadLinks(Path.Combine(Root, ManifestName));
        }
    }

    /// <summary>The live system, or the tree named by KVMPS_HOST_ROOT.</summary>
    public static HostFileSystem FromEnvironment()
    {
        string? root = Environment.GetEnvironmentVariable(RootVariable);
        return new HostFileSystem(string.IsNullOrWhiteSpace(root) ? "/" : root);
    }

    public string Root { get; }

    public bool IsLive { get; }

    private string Map(string path) =>
        IsLive ? path : Path.Combine(Root, (_links is { Count: > 0 } ? Resolve(path) : path).TrimStart('/'));

    public string? RealPath(string path)
    {
        string real = Resolve(path);
        return Exists(real) ? real : null;
    }

    /// <summary>Resolves every link component of a host path, lexically for "..", as realpath(3) does.</summary>
    private string Resolve(string path)
    {
        int hops = 0;
        return Resolve(Normalize(path), ref hops);
    }

    private string Resolve(string path, ref int hops)
    {
        string current = "/";
        foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }
            string next = current == "/" ? "/" + part : current + "/" + part;
            if (LinkTarget(next) is string target)
            {
                if (++hops > MaxLinkHops)
                {
                    throw new IOException($"Too many levels of symbolic links at {next}.");
                }
                next = Resolve(target.StartsWith('/') ? target : current + "/" + target, ref hops);
            }
            current = next;
        }
        return current;
    }

    /// <summary>Where a link points (as written in it), or null when the path is no link.</summary>
    private string? LinkTarget(string hostPath)
    {
        if (!IsLive)
        {
            return _links!.GetValueOrDefault(hostPath);
        }
        try
        {
            return new FileInfo(hostPath).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(Map(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public bool Exists(string path) => Stat(path).Exists;

    public IReadOnlyList<string> List(string path)
    {
        IEnumerable<string> names;
        try
        {
            names = Directory.EnumerateFileSystemEntries(Map(path)).Select(p => Path.GetFileName(p)).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            names = Array.Empty<string>();
        }
        if (_links is { Count: > 0 })
        {
            // Links of the manifest are entries of their directory too.
            string dir = Resolve(path);
            names = names.Concat(_links.Keys.Where(k => Path.GetDirectoryName(k) is string d && Resolve(d) == dir).Select(k => Path.GetFileName(k)));
        }
        return names.Distinct().Order(StringComparer.Ordinal).ToList();
    }

    public HostNode Stat(string path)
    {
        if (_devices is not null && _devices.TryGetValue(Normalize(path), out HostNode dev))
        {
            return dev;
        }
        if (!IsLive)
        {
            // Outside the manifest a fixture holds plain files and directories only; a /dev
            // entry the manifest does not list does not exist.
            if (IsUnder(path, "/dev") && !Directory.Exists(Map(path)))
            {
                return HostNode.Missing;
            }
            string mapped = Map(path);
            return Directory.Exists(mapped) ? new HostNode(HostNodeKind.Directory, 0x1ED, 0, 0, 0, 0)
                : File.Exists(mapped) ? new HostNode(HostNodeKind.File, 0x1A4, 0, 0, 0, 0)
                : HostNode.Missing;
        }
        if (LibC.statx(LibC.AtFdCwd, path, 0, LibC.StatxBasicStats, out LibC.Statx st) != 0)
        {
            return HostNode.Missing;
        }
        HostNodeKind kind = (st.Mode & 0xF000) switch
        {
            0x8000 => HostNodeKind.File,
            0x4000 => HostNodeKind.Directory,
            0x2000 => HostNodeKind.CharDevice,
            0x6000 => HostNodeKind.BlockDevice,
            _ => HostNodeKind.Other,
        };
        return new HostNode(kind, st.Mode & 0xFFFu, st.Uid, st.Gid, st.RdevMajor, st.RdevMinor);
    }

    public bool CanReadWrite(string path)
    {
        if (IsLive)
        {
            return LibC.access(path, LibC.ReadOk | LibC.WriteOk) == 0;
        }
        HostNode node = Stat(path);
        if (!node.Exists)
        {
            return false;
        }
        HostIdentity who = HostIdentity.Read(this);
        if (who.Uid == 0)
        {
            return true;
        }
        // The permission class that applies is the first of owner, group, other that matches.
        uint bits = who.Uid == node.Uid ? (node.Mode >> 6) & 7
            : who.HasGroup(node.Gid) ? (node.Mode >> 3) & 7
            : node.Mode & 7;
        return (bits & 6) == 6;
    }

    public void WriteText(string path, string text, bool create = false)
    {
        // A setting is opened without creating: /proc and /sys settings exist already, and a
        // missing file means the setting does not exist on this kernel. The kernel parses what
        // is written from offset 0; a fixture's plain file must be truncated to read back alike.
        FileMode mode = create ? FileMode.Create : IsLive ? FileMode.Open : FileMode.Truncate;
        using var stream = new FileStream(Map(path), mode, FileAccess.Write, FileShare.ReadWrite);
        byte[] bytes = Encoding.ASCII.GetBytes(text);
        stream.Write(bytes, 0, bytes.Length);
    }

    private static string Normalize(string path) => "/" + path.Trim().Trim('/');

    /// <summary>The symbolic links a manifest lists (path → target as written); the other lines are devices.</summary>
    internal static Dictionary<string, string> ReadLinks(string file)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(file))
        {
            return result;
        }
        foreach (string raw in File.ReadAllLines(file))
        {
            string[] f = raw.Split('#', 2)[0].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (f.Length == 3 && f[1] == "l")
            {
                result[Normalize(f[0])] = f[2];
            }
        }
        return result;
    }

    private static bool IsUnder(string path, string dir)
    {
        string p = Normalize(path);
        return p == dir || p.StartsWith(dir + "/", StringComparison.Ordinal);
    }

    /// <summary>Parses a device manifest; a missing manifest means a tree without devices.</summary>
    internal static Dictionary<string, HostNode> ReadManifest(string file)
    {
        var result = new Dictionary<string, HostNode>(StringComparer.Ordinal);
        if (!File.Exists(file))
        {
            return result;
        }
        int lineNo = 0;
        foreach (string raw in File.ReadAllLines(file))
        {
            lineNo++;
            string line = raw.Split('#', 2)[0].Trim();
            string[] f = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (line.Length == 0 || f is [_, "l", _])
            {
                continue;
            }
            string[] dev = f.Length == 5 ? f[2].Split(':') : Array.Empty<string>();
            string[] owner = f.Length == 5 ? f[4].Split(':') : Array.Empty<string>();
            if (f.Length != 5 || f[1] is not ("c" or "b") || dev.Length != 2 || owner.Length != 2)
            {
                throw new FormatException($"{file}:{lineNo}: expected 'path c|b major:minor mode uid:gid', got '{raw}'.");
            }
            result[Normalize(f[0])] = new HostNode(
                f[1] == "c" ? HostNodeKind.CharDevice : HostNodeKind.BlockDevice,
                Convert.ToUInt32(f[3], 8),
                UInt(owner[0]), UInt(owner[1]), UInt(dev[0]), UInt(dev[1]));
        }
        return result;
    }

    private static uint UInt(string s) => uint.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);
}

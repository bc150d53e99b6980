namespace KvmPS.Engine.HostChecks;

/// <summary>
/// The one way host probes read /proc, /sys, /dev and /etc. Paths are absolute as on the host
/// ("/proc/cpuinfo"); an implementation maps them under its root, so tests point the probes at a
/// fixture tree instead of the running system.
/// </summary>
public interface IHostFileSystem
{
    /// <summary>The directory that stands for "/".</summary>
    string Root { get; }

    /// <summary>True when the root is the running system's own "/".</summary>
    bool IsLive { get; }

    /// <summary>The text of a file, or null when it is missing or unreadable.</summary>
    string? ReadText(string path);

    /// <summary>Whether a file, directory or device exists at the path.</summary>
    bool Exists(string path);

    /// <summary>Names of the entries of a directory (empty when it is missing).</summary>
    IReadOnlyList<string> List(string path);

    /// <summary>
    /// The path with every symbolic link in it resolved (/sys/block/sda → /sys/devices/…/block/sda),
    /// as a path of the host; null when it does not exist.
    /// </summary>
    string? RealPath(string path);

    /// <summary>Type, mode, owner and device number; <see cref="HostNode.Missing"/> when absent.</summary>
    HostNode Stat(string path);

    /// <summary>Whether the current user may open the path for reading and writing.</summary>
    bool CanReadWrite(string path);

    /// <summary>
    /// Writes a file: a /proc or /sys setting that must exist already, or, with
    /// <paramref name="create"/>, a configuration file that is made or replaced.
    /// </summary>
    void WriteText(string path, string text, bool create = false);
}

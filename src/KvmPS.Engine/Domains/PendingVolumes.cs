using System.Security.Cryptography;
using System.Text;

namespace KvmPS.Engine.Domains;

/// <summary>
/// A small journal on this machine of the pool volumes New-KvmVM is making: an entry is written
/// before the volume is created and removed once the request succeeded or its undo removed the
/// volume. An entry that is still there names a volume an interrupted run made (the host went
/// away, the process was killed), so that the rerun of the same request may take it over; a
/// volume without an entry (a disk kept by Remove-KvmVM, say) is never taken. Entries live in
/// $KVMPS_STATE_DIR, else $XDG_STATE_HOME/kvmps, else ~/.local/state/kvmps, as 0600 files.
/// </summary>
public sealed class PendingVolumes
{
    public PendingVolumes(string directory) => Directory = directory;

    public string Directory { get; }

    /// <summary>The journal of this user.</summary>
    public static PendingVolumes Default
    {
        get
        {
            string? dir = Environment.GetEnvironmentVariable("KVMPS_STATE_DIR");
            if (string.IsNullOrEmpty(dir))
            {
                string? xdg = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
                string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
                dir = Path.Combine(string.IsNullOrEmpty(xdg) ? Path.Combine(home, ".local", "state") : xdg, "kvmps");
            }
            return new PendingVolumes(Path.Combine(dir, "pending-volumes"));
        }
    }

    private string EntryPath(string uri, string pool, string name)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{uri}\n{pool}\n{name}"));
        return Path.Combine(Directory, Convert.ToHexString(hash)[..32].ToLowerInvariant());
    }

    /// <summary>Notes a volume about to be made. A journal that cannot be written only loses the takeover on a rerun.</summary>
    public void Add(string uri, string pool, string name)
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using var w = new StreamWriter(EntryPath(uri, pool, name), Encoding.UTF8, options);
            w.Write($"{uri}\n{pool}\n{name}\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    public bool Contains(string uri, string pool, string name) => File.Exists(EntryPath(uri, pool, name));

    public void Remove(string uri, string pool, string name)
    {
        try
        {
            File.Delete(EntryPath(uri, pool, name));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}

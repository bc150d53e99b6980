using System.Security.Cryptography;
using System.Text;

namespace KvmPS.Engine.Domains;

/// <summary>
/// Serialises the edits of one VM across the processes of this machine, as DomainEditor's
/// in-process lock does across runspaces: an exclusive lock on a file named after the connection
/// URI and VM name, in a directory of the user's own (0700). On Linux, .NET takes FileShare.None
/// as an advisory flock, which the kernel drops when the process ends, so a crashed process leaves
/// no lock behind. libvirt has no compare-and-swap define, so without this another process could
/// define between an edit's last read and its define, and one of the two changes would be lost.
/// </summary>
internal sealed class EditLock : IDisposable
{
    private readonly FileStream _file;

    private EditLock(FileStream file) => _file = file;

    /// <summary>How long an edit waits for another process's edit of the same VM.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Takes the lock for <paramref name="key"/>, waiting up to <see cref="Timeout"/>; null when it cannot be had in time.</summary>
    public static EditLock? Acquire(string key)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"kvmps-edit-locks-{Environment.UserName}");
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dir);
        }
        else
        {
            Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        string path = Path.Combine(dir, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32] + ".lock");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new EditLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (clock.Elapsed < Timeout)
            {
                Thread.Sleep(10);
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    public void Dispose() => _file.Dispose();
}

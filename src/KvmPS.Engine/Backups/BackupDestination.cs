namespace KvmPS.Engine.Backups;

/// <summary>
/// The backup directory as found before anything is written: whether it exists, whether it holds
/// files other than a backup's, whether a file can be written there (and why not), and the space left.
/// </summary>
public sealed record BackupDestination(string Path, bool Exists, bool HasOtherFiles, string? WriteProblem, ulong? AvailableBytes)
{
    /// <summary>Looks at a local directory; creates nothing (a probe file is written and removed again).</summary>
    public static BackupDestination Inspect(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        bool exists = Directory.Exists(full);
        if (File.Exists(full))
        {
            return new BackupDestination(full, false, false, $"'{full}' is a file, not a directory.", null);
        }
        string? existing = exists ? full : ExistingParent(full);
        string? problem = existing is null ? $"No parent directory of '{full}' exists." : WriteProbe(existing);
        bool other = exists && Directory.EnumerateFileSystemEntries(full).Any(f => System.IO.Path.GetFileName(f) != BackupManifest.FileName);
        ulong? available = null;
        if (existing is not null)
        {
            try
            {
                available = (ulong)new DriveInfo(existing).AvailableFreeSpace;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                available = null;
            }
        }
        return new BackupDestination(full, exists, other, problem, available);
    }

    private static string? ExistingParent(string path)
    {
        for (string? p = System.IO.Path.GetDirectoryName(path); p is not null; p = System.IO.Path.GetDirectoryName(p))
        {
            if (Directory.Exists(p))
            {
                return p;
            }
        }
        return null;
    }

    private static string? WriteProbe(string dir)
    {
        string probe = System.IO.Path.Combine(dir, $".kvmps-write-test-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"'{dir}' cannot be written: {e.Message}";
        }
        finally
        {
            try
            {
                File.Delete(probe);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // It was never made.
            }
        }
    }
}

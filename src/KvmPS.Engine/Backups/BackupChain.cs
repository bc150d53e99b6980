namespace KvmPS.Engine.Backups;

/// <summary>
/// The rules of a backup chain: it starts with one full backup; each incremental one names the
/// checkpoint of the backup before it as its parent and has the same disks. Pure: xunit tests it.
/// </summary>
public static class BackupChain
{
    /// <summary>Throws a BackupException (BackupChainBroken) naming the first rule the manifest breaks.</summary>
    public static void Validate(BackupManifest m, string directory)
    {
        if (m.Chain.Count == 0)
        {
            throw Broken(directory, "the manifest lists no backup");
        }
        for (int i = 0; i < m.Chain.Count; i++)
        {
            BackupManifestEntry e = m.Chain[i];
            if (e.Index != i)
            {
                throw Broken(directory, $"entry {i} has index {e.Index}");
            }
            if (e.Disks.Count == 0)
            {
                throw Broken(directory, $"backup {i} has no disks");
            }
            foreach (BackupManifestDisk d in e.Disks)
            {
                if (string.IsNullOrEmpty(d.File) || d.File != Path.GetFileName(d.File) || d.File is "." or "..")
                {
                    throw Broken(directory, $"backup {i} names the file '{d.File}', which is not a plain file name in the backup directory");
                }
            }
            if (i == 0)
            {
                if (e.Kind != BackupKinds.Full)
                {
                    throw Broken(directory, "the first backup is not a full one");
                }
                continue;
            }
            BackupManifestEntry before = m.Chain[i - 1];
            if (e.Kind != BackupKinds.Incremental)
            {
                throw Broken(directory, $"backup {i} is a second full backup");
            }
            if (before.Checkpoint is null || e.ParentCheckpoint != before.Checkpoint)
            {
                throw Broken(directory, $"backup {i} is based on checkpoint '{e.ParentCheckpoint}', but backup {i - 1} made '{before.Checkpoint}'");
            }
            if (!Targets(e).SetEquals(Targets(before)))
            {
                throw Broken(directory, $"backup {i} has the disks {string.Join(", ", Targets(e).Order())}, backup {i - 1} has {string.Join(", ", Targets(before).Order())}");
            }
        }
    }

    /// <summary>
    /// The backups to restore: the whole chain, or the chain up to the backup that made
    /// <paramref name="checkpoint"/> (a name of the manifest), or up to index <paramref name="index"/>.
    /// </summary>
    public static List<BackupManifestEntry> UpTo(BackupManifest m, string directory, string? checkpoint, int? index)
    {
        int last = m.Chain.Count - 1;
        if (checkpoint is not null)
        {
            last = m.Chain.FindIndex(e => string.Equals(e.Checkpoint, checkpoint, StringComparison.Ordinal));
            if (last < 0)
            {
                throw new BackupException("CheckpointNotInBackup", KvmErrorKind.NotFound, checkpoint,
                    $"The backup in '{directory}' has no backup that made checkpoint '{checkpoint}'; it has {string.Join(", ", m.Chain.Select(e => e.Checkpoint ?? "(none)"))}.");
            }
        }
        else if (index is int i)
        {
            if (i < 0 || i > last)
            {
                throw new BackupException("BackupIndexOutOfRange", KvmErrorKind.InvalidArgument, directory,
                    $"The backup in '{directory}' has backups 0 to {last}; there is no backup {i}.");
            }
            last = i;
        }
        return m.Chain.Take(last + 1).ToList();
    }

    /// <summary>For each disk target, its files from the full backup to the newest one chosen (the order a restore layers them in).</summary>
    public static Dictionary<string, List<BackupManifestDisk>> FilesByDisk(IEnumerable<BackupManifestEntry> chain)
    {
        var byDisk = new Dictionary<string, List<BackupManifestDisk>>(StringComparer.Ordinal);
        foreach (BackupManifestEntry e in chain)
        {
            foreach (BackupManifestDisk d in e.Disks)
            {
                if (!byDisk.TryGetValue(d.Target, out var files))
                {
                    byDisk[d.Target] = files = new List<BackupManifestDisk>();
                }
                files.Add(d);
            }
        }
        return byDisk;
    }

    private static HashSet<string> Targets(BackupManifestEntry e) => e.Disks.Select(d => d.Target).ToHashSet(StringComparer.Ordinal);

    private static BackupException Broken(string directory, string why) =>
        new("BackupChainBroken", KvmErrorKind.InvalidArgument, directory, $"The backup in '{directory}' cannot be used: {why}.");
}

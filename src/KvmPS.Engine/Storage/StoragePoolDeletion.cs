namespace KvmPS.Engine.Storage;

/// <summary>
/// Checks made before the data of a pool is deleted, so that the deletion never stops half-way
/// (volumes gone, the pool still defined): everything that would make a step fail is found first.
/// </summary>
public static class StoragePoolDeletion
{
    /// <summary>
    /// The directory under which the pool's volumes live, for pool types whose volumes are paths
    /// below their target (a directory, a mounted file system, a volume group's /dev/VG); null for others.
    /// </summary>
    public static string? VolumeDirectory(StoragePoolDefinition pool) =>
        pool.Type is KvmStoragePoolType.Dir or KvmStoragePoolType.Fs or KvmStoragePoolType.NetFs or KvmStoragePoolType.Logical
            ? pool.Path
            : null;

    /// <summary>
    /// Why the data cannot be deleted in one go, one sentence per obstacle (empty when it can):
    /// entries of the pool's directory that libvirt does not know as volumes (libvirt deletes only
    /// volumes, and then the directory, which must be empty by then), and directory volumes that
    /// are not empty (libvirt removes a directory volume only when empty). Looks at the directory
    /// only when the host is this machine and the pool is a directory.
    /// </summary>
    public static List<string> Obstacles(StoragePoolDefinition pool, IEnumerable<VolumeDefinition> volumes, bool localHost) =>
        Obstacles(pool, volumes, localHost, new RealDirectories());

    internal static List<string> Obstacles(StoragePoolDefinition pool, IEnumerable<VolumeDefinition> volumes, bool localHost, IDirectories fs)
    {
        var problems = new List<string>();
        if (!localHost || pool.Type is not (KvmStoragePoolType.Dir or KvmStoragePoolType.Fs or KvmStoragePoolType.NetFs)
            || string.IsNullOrEmpty(pool.Path) || !fs.Exists(pool.Path))
        {
            return problems;
        }
        List<VolumeDefinition> vols = volumes.ToList();
        var volumePaths = vols.Select(v => v.Path).OfType<string>().Select(StorageUsage.Normalize).ToHashSet(StringComparer.Ordinal);
        List<string> strangers = fs.Entries(pool.Path).Where(e => !volumePaths.Contains(StorageUsage.Normalize(e))).Order(StringComparer.Ordinal).ToList();
        if (strangers.Count > 0)
        {
            problems.Add($"{pool.Path} holds what is not a volume of the pool: {string.Join(", ", strangers)}");
        }
        foreach (VolumeDefinition v in vols.Where(v => v.Type == "dir" && v.Path is not null && fs.Exists(v.Path)))
        {
            if (fs.Entries(v.Path!).Any())
            {
                problems.Add($"the directory volume {v.Path} is not empty");
            }
        }
        return problems;
    }

    /// <summary>The directory reads the check needs (tests give a fixed tree).</summary>
    internal interface IDirectories
    {
        bool Exists(string path);

        IEnumerable<string> Entries(string path);
    }

    private sealed class RealDirectories : IDirectories
    {
        public bool Exists(string path) => Directory.Exists(path);

        public IEnumerable<string> Entries(string path) => Directory.EnumerateFileSystemEntries(path);
    }
}

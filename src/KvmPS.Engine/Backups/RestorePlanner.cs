using System.Text.Json.Nodes;

namespace KvmPS.Engine.Backups;

/// <summary>
/// Decides a restore from a backup directory: the chain up to the backup asked for, one volume per
/// disk, the name (the original's, or a copy's), and every refusal before anything is made. Pure,
/// apart from the file-existence test it is given.
/// </summary>
public static class RestorePlanner
{
    public static string VolumeName(string vm, string target) => $"{vm}-{target}.qcow2";

    public static RestorePlan Plan(string directory, BackupManifest m, string? newName, string pool, string? checkpoint, int? index,
        ISet<string> vmNames, ISet<string> poolVolumes, Func<string, bool> fileExists)
    {
        BackupChain.Validate(m, directory);
        var chain = BackupChain.UpTo(m, directory, checkpoint, index);
        string name = newName ?? m.VmName;
        if (vmNames.Contains(name))
        {
            throw new BackupException("VMExists", KvmErrorKind.AlreadyExists, name,
                newName is null
                    ? $"A VM named '{name}' exists: give -Name to restore the backup as a copy under another name (new UUID and MAC addresses), or remove that VM first."
                    : $"A VM named '{name}' already exists: give another -Name.");
        }
        var disks = new List<RestorePlannedDisk>();
        foreach (var (target, files) in BackupChain.FilesByDisk(chain))
        {
            var paths = files.Select(f => Path.Combine(directory, f.File)).ToList();
            if (paths.FirstOrDefault(p => !fileExists(p)) is string missing)
            {
                throw new BackupException("BackupFileMissing", KvmErrorKind.NotFound, missing,
                    $"The backup in '{directory}' lacks the file '{missing}' that its manifest lists: it cannot be restored.");
            }
            string vol = VolumeName(name, target);
            if (poolVolumes.Contains(vol))
            {
                throw new BackupException("StorageVolumeExists", KvmErrorKind.AlreadyExists, $"{pool}/{vol}",
                    $"Pool '{pool}' already has a volume '{vol}': give another -Name or -Pool.");
            }
            disks.Add(new RestorePlannedDisk(target, files, paths, vol, files[^1].VirtualSizeBytes));
        }
        string definition = Path.Combine(directory, chain[^1].Definition);
        if (!fileExists(definition))
        {
            throw new BackupException("BackupFileMissing", KvmErrorKind.NotFound, definition,
                $"The backup in '{directory}' lacks the definition file '{definition}' that its manifest lists.");
        }
        return new RestorePlan(directory, m, chain, name, newName is not null && newName != m.VmName, pool, disks, definition);
    }

    /// <summary>
    /// The pool a restore goes to when none is given: the one whose directory held the first disk
    /// that was backed up, else the pool named "default", else none (the cmdlet then asks for -Pool).
    /// </summary>
    public static string? DefaultPool(BackupManifest m, IEnumerable<(string Name, string? Path)> activePools)
    {
        var pools = activePools.ToList();
        foreach (string? source in m.Chain.SelectMany(e => e.Disks).Select(d => d.SourcePath))
        {
            string? dir = source is null ? null : Path.GetDirectoryName(source);
            if (pools.FirstOrDefault(p => p.Path is not null && dir is not null && p.Path.TrimEnd('/') == dir.TrimEnd('/')) is { Name: not null } hit)
            {
                return hit.Name;
            }
        }
        return pools.Any(p => p.Name == "default") ? "default" : null;
    }

    /// <summary>
    /// The image qemu-img reads to flatten a chain: the newest file, each on the one before, the
    /// full backup at the bottom with no backing file. This overrides the backing file name libvirt
    /// wrote into an incremental backup (the VM's own disk), so the backup files are read, never
    /// the live disk, and nothing in the backup directory is changed.
    /// </summary>
    public static string ChainSpec(IReadOnlyList<string> pathsFullFirst)
    {
        JsonNode? node = null;
        foreach (string path in pathsFullFirst)
        {
            node = new JsonObject
            {
                ["driver"] = "qcow2",
                ["file"] = new JsonObject { ["driver"] = "file", ["filename"] = path },
                ["backing"] = node,
            };
        }
        return "json:" + node!.ToJsonString();
    }
}

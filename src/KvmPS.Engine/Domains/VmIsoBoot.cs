using KvmPS.Engine.Iso;
using KvmPS.Engine.Storage;

namespace KvmPS.Engine.Domains;

/// <summary>
/// The install kernel and initrd of an ISO given to -Location: read out of the image into files
/// the daemon reads (beside the VM's first disk, else beside the ISO), booted once with the ISO as
/// CD-ROM, and deleted once the install boot has started (QEMU has loaded them), as virt-install
/// does. <see cref="KernelPath"/>/<see cref="InitrdPath"/> are where they go.
/// </summary>
public sealed record VmIsoBoot(string Iso, string KernelInIso, string? InitrdInIso, string KernelPath, string? InitrdPath)
{
    /// <summary>Where the files of <paramref name="tree"/> (an ISO location) go for VM <paramref name="name"/>.</summary>
    public static VmIsoBoot Plan(LibvirtConnection conn, string name, VmLocation tree, IEnumerable<VmDiskPlan> disks)
    {
        string iso = tree.Iso ?? throw new ArgumentException("not an ISO location", nameof(tree));
        string dir = DiskDirectory(conn, disks) ?? Path.GetDirectoryName(iso) ?? "/";
        string Target(string inIso) => Path.Combine(dir, $"{name}-install-{Path.GetFileName(inIso)}");
        string kernel = Target(tree.Kernel);
        string? initrd = tree.Initrd is null ? null : Target(tree.Initrd);
        if (initrd == kernel)
        {
            initrd += ".initrd";
        }
        return new VmIsoBoot(iso, tree.Kernel, tree.Initrd, kernel, initrd);
    }

    /// <summary>Copies the kernel and initrd out of the ISO (each recorded in the undo log first).</summary>
    public void Extract(UndoLog undo, Action<string> say, CancellationToken cancel)
    {
        using IsoImage image = IsoImage.Open(Iso);
        foreach (var (inIso, path) in Files())
        {
            say($"Reading '{inIso}' out of '{Iso}' into '{path}' for the install boot.");
            undo.RecordPending($"File '{path}'", () => DeleteFile(path), $"Remove-Item -LiteralPath '{path}'");
            // CreateNew: a file of someone else's that happens to have the name is never overwritten.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                // Readable by the daemon's QEMU user (no secret in an installer's kernel).
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
            }
            using var output = new FileStream(path, options);
            image.CopyTo(inIso, output, cancel);
        }
    }

    /// <summary>Deletes the copies once the install boot runs; says how it went.</summary>
    public IEnumerable<string> Delete()
    {
        foreach (var (_, path) in Files())
        {
            string message;
            try
            {
                message = "The install boot has loaded its kernel and initrd: " + DeleteFile(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                message = $"'{path}' could not be deleted ({e.Message}); no VM definition uses it.";
            }
            yield return message;
        }
    }

    private IEnumerable<(string InIso, string Path)> Files()
    {
        yield return (KernelInIso, KernelPath);
        if (InitrdInIso is not null && InitrdPath is not null)
        {
            yield return (InitrdInIso, InitrdPath);
        }
    }

    private static string DeleteFile(string path)
    {
        if (!File.Exists(path))
        {
            return $"'{path}' did not exist.";
        }
        File.Delete(path);
        return $"Deleted file '{path}'.";
    }

    private static string? DiskDirectory(LibvirtConnection conn, IEnumerable<VmDiskPlan> disks)
    {
        VmDiskPlan? d = disks.FirstOrDefault(x => x.Options?.Device is null or "disk");
        if (d is null)
        {
            return null;
        }
        if (d.Source != VmDiskSource.PoolVolume)
        {
            return Path.GetDirectoryName(d.Location);
        }
        using StoragePool? pool = StoragePool.TryLookup(conn, d.Pool!);
        return pool?.GetDefinition().Path;
    }
}

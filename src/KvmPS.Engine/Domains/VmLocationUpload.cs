using KvmPS.Engine.Iso;
using KvmPS.Engine.Storage;

namespace KvmPS.Engine.Domains;

/// <summary>
/// -Location for a remote host, as virt-install does it: the install kernel and initrd are read on
/// this machine (out of the tree, or out of the ISO) and uploaded through the volume API into a
/// pool of the host; an ISO location is uploaded too, as the install boot's CD-ROM. Every volume
/// is deleted once the install boot has started (QEMU has loaded the kernel and initrd and holds
/// the ISO open), as the local copies of <see cref="VmIsoBoot"/> are.
/// </summary>
public sealed record VmLocationUpload(string Pool, IReadOnlyList<VmLocationUploadFile> Files)
{
    /// <summary>The volume of the install kernel.</summary>
    public VmLocationUploadFile Kernel => Files.First(f => f.Role == "kernel");

    /// <summary>The volume of the initrd, if the tree has one.</summary>
    public VmLocationUploadFile? Initrd => Files.FirstOrDefault(f => f.Role == "initrd");

    /// <summary>The volume of the ISO (the install boot's CD-ROM), for an ISO location.</summary>
    public VmLocationUploadFile? Iso => Files.FirstOrDefault(f => f.Role == "iso");

    /// <summary>
    /// The volumes for <paramref name="tree"/> in <paramref name="pool"/> and their paths on the
    /// host. Refuses a pool that is missing, not running, has no directory, or already holds a
    /// volume of the names.
    /// </summary>
    public static VmLocationUpload Plan(LibvirtConnection conn, string vmName, VmLocation tree, string pool)
    {
        using StoragePool p = StoragePool.TryLookup(conn, pool)
            ?? throw new VmRequestException("PoolNotFound", KvmErrorKind.NotFound, pool, $"No storage pool named '{pool}' for the -Location upload of VM '{vmName}'.");
        if (!p.IsActive)
        {
            throw new VmRequestException("PoolNotActive", KvmErrorKind.InvalidOperation, pool, $"Storage pool '{pool}' is not running; start it (Start-KvmStoragePool) for the -Location upload of VM '{vmName}'.");
        }
        string dir = p.GetDefinition().Path
            ?? throw VmRequestException.Invalid(vmName, "LocationPoolHasNoPath", $"Storage pool '{pool}' keeps no files in a directory; -Location on a remote host needs a directory pool for its install kernel and initrd.");
        var files = new List<VmLocationUploadFile>();
        void Add(string role, string source, string suffix)
        {
            string name = $"{vmName}-install-{suffix}";
            if (files.Any(f => f.Volume == name))
            {
                name += "." + role;
            }
            using (StorageVolume? existing = p.TryLookupVolume(name))
            {
                if (existing is not null)
                {
                    throw new VmRequestException("VolumeExists", KvmErrorKind.AlreadyExists, name, $"Pool '{pool}' already has a volume named '{name}' (for the -Location upload of VM '{vmName}'); remove it or choose another name.");
                }
            }
            files.Add(new VmLocationUploadFile(role, source, name, dir.TrimEnd('/') + "/" + name));
        }
        Add("kernel", tree.Kernel, Path.GetFileName(tree.Kernel));
        if (tree.Initrd is not null)
        {
            Add("initrd", tree.Initrd, Path.GetFileName(tree.Initrd));
        }
        if (tree.Iso is not null)
        {
            Add("iso", tree.Iso, "media.iso");
        }
        return new VmLocationUpload(pool, files);
    }

    /// <summary>Uploads every file (each volume recorded in the undo log before it is made).</summary>
    public void Upload(LibvirtConnection conn, VmLocation tree, UndoLog undo, Action<string> say, CancellationToken cancel)
    {
        foreach (VmLocationUploadFile f in Files)
        {
            undo.RecordPending($"Volume '{Pool}/{f.Volume}'", () => VmStorage.DeletePoolVolumeIfExists(conn, Pool, f.Volume),
                Leftover.RemoveVolumeCommand(Pool, f.Volume, conn.Uri));
            if (tree.Iso is null || f.Role == "iso")
            {
                say($"Uploading '{f.Source}' into volume '{Pool}/{f.Volume}' for the install boot.");
                VmStorage.UploadToPool(conn, Pool, f.Volume, f.Source, cancel);
                continue;
            }
            // Out of the ISO into a private staging file, then up to the host.
            string tmp = Path.Combine(Path.GetTempPath(), $"kvmps-location-{Guid.NewGuid():N}");
            try
            {
                say($"Reading '{f.Source}' out of '{tree.Iso}' and uploading it into volume '{Pool}/{f.Volume}' for the install boot.");
                using (IsoImage image = IsoImage.Open(tree.Iso))
                using (var output = new FileStream(tmp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write }))
                {
                    image.CopyTo(f.Source, output, cancel);
                }
                VmStorage.UploadToPool(conn, Pool, f.Volume, tmp, cancel);
            }
            finally
            {
                File.Delete(tmp);
            }
        }
    }

    /// <summary>Deletes the volumes once the install boot runs; says how it went.</summary>
    public IEnumerable<string> Delete(LibvirtConnection conn)
    {
        foreach (VmLocationUploadFile f in Files)
        {
            string message;
            try
            {
                message = "The install boot has its kernel, initrd and media: " + VmStorage.DeletePoolVolumeIfExists(conn, Pool, f.Volume);
            }
            catch (LibvirtException e)
            {
                message = $"Volume '{Pool}/{f.Volume}' could not be deleted ({e.LibvirtMessage}); no VM definition uses it.";
            }
            yield return message;
        }
    }
}

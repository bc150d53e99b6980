using KvmPS.Engine.Storage;

namespace KvmPS.Engine.Domains;

/// <summary>Removes storage a VM owns: a libvirt volume when the path is one, else a local file.</summary>
public static class OwnedStorage
{
    /// <summary>Deletes the storage at a path; returns how it went, for the verbose stream.</summary>
    public static string Delete(LibvirtConnection conn, string path, bool localHost)
    {
        using (StorageVolume? vol = StorageVolume.TryLookupByPath(conn, path))
        {
            if (vol is not null)
            {
                vol.Delete();
                return $"Deleted volume '{path}'.";
            }
        }
        if (!localHost)
        {
            return $"'{path}' is not a storage volume on the remote host; it was left in place.";
        }
        if (File.Exists(path))
        {
            File.Delete(path);
            return $"Deleted file '{path}'.";
        }
        return $"'{path}' did not exist.";
    }
}

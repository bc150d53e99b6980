using KvmPS.Engine.Native;

namespace KvmPS.Engine.Domains;

/// <summary>Removes storage a VM owns: a libvirt volume when the path is one, else a local file.</summary>
public static class OwnedStorage
{
    /// <summary>Deletes the storage at a path; returns how it went, for the verbose stream.</summary>
    public static string Delete(LibvirtConnection conn, string path, bool localHost)
    {
        IntPtr p = Libvirt.VmVolLookupByPath(conn.Handle, path);
        if (p != IntPtr.Zero)
        {
            using var vol = new StorageVolHandle(p);
            if (Libvirt.VmVolDelete(vol, 0) < 0)
            {
                throw LibvirtException.FromLastError("virStorageVolDelete");
            }
            return $"Deleted volume '{path}'.";
        }
        var err = LibvirtException.FromLastError("virStorageVolLookupByPath");
        if (err.Code != LibvirtErrorCode.NoStorageVol)
        {
            throw err;
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

    /// <summary>Whether a URI points at this machine (no host part), so local files are the host's files.</summary>
    public static bool IsLocal(string uri)
    {
        if (string.IsNullOrEmpty(uri))
        {
            return true;
        }
        if (!System.Uri.TryCreate(uri, UriKind.Absolute, out System.Uri? u))
        {
            return true;
        }
        return string.IsNullOrEmpty(u.Host) || u.Host is "localhost" or "127.0.0.1" or "::1";
    }
}

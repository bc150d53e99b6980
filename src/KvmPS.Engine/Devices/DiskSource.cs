using KvmPS.Engine.Storage;

namespace KvmPS.Engine.Devices;

/// <summary>What is known about a disk path on the host: whether a storage pool holds it, and its format.</summary>
public static class DiskSource
{
    /// <summary>
    /// Looks the path up among the host's storage volumes (works on a remote host too). Returns
    /// (false, null) when no pool holds it; otherwise the format libvirt recorded (null when none).
    /// </summary>
    public static (bool IsVolume, string? Format) LookupVolume(LibvirtConnection conn, string path)
    {
        StorageVolume? vol;
        try
        {
            vol = StorageVolume.TryLookupByPath(conn, path);
        }
        catch (LibvirtException e) when (e.Kind == KvmErrorKind.NotSupported)
        {
            return (false, null); // a driver without storage
        }
        using (vol)
        {
            if (vol is null)
            {
                return (false, null);
            }
            string? format = vol.GetDefinition().Format;
            return (true, string.IsNullOrEmpty(format) || format == "none" ? null : format);
        }
    }

    /// <summary>The format of a local image file, from the shared probe (<see cref="ImageProbe.DetectFormat"/>).</summary>
    public static string DetectLocalFormat(string path, CancellationToken cancel) => ImageProbe.DetectFormat(path, cancel);

    /// <summary>Whether the path names a block device (libvirt disk type block, source dev).</summary>
    public static bool IsBlockDevicePath(string path) =>
        path.StartsWith("/dev/", StringComparison.Ordinal);
}

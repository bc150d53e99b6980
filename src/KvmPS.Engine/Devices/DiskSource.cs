using System.Xml.Linq;
using KvmPS.Engine.Native;

namespace KvmPS.Engine.Devices;

/// <summary>What is known about a disk path on the host: a storage volume of libvirt's, and its format.</summary>
public static class DiskSource
{
    /// <summary>
    /// Looks the path up among the host's storage volumes (virStorageVolLookupByPath). Returns
    /// (false, null) when no pool has it; otherwise the format libvirt recorded (null when none).
    /// </summary>
    public static (bool IsVolume, string? Format) LookupVolume(LibvirtConnection conn, string path)
    {
        IntPtr p = Libvirt.DevVolLookupByPath(conn.Handle, path);
        if (p == IntPtr.Zero)
        {
            var e = LibvirtException.FromLastError("virStorageVolLookupByPath");
            // No volume there, or a driver without storage: either way not a volume.
            if (e.Code is LibvirtErrorCode.NoStorageVol or LibvirtErrorCode.NoSupport or LibvirtErrorCode.InvalidArg)
            {
                return (false, null);
            }
            throw e;
        }
        using var vol = new StorageVolHandle(p);
        string xml = Libvirt.TakeString(Libvirt.DevVolGetXMLDesc(vol, 0)) ?? throw LibvirtException.FromLastError("virStorageVolGetXMLDesc");
        string? format = (string?)XElement.Parse(xml).Element("target")?.Element("format")?.Attribute("type");
        return (true, string.IsNullOrEmpty(format) || format == "none" ? null : format);
    }

    /// <summary>Whether the path names a block device (libvirt disk type block, source dev).</summary>
    public static bool IsBlockDevicePath(string path) =>
        path.StartsWith("/dev/", StringComparison.Ordinal);
}

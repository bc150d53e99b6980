using KvmPS.Engine.Devices;
using KvmPS.Engine.Storage;

namespace KvmPS.Engine.Conversion;

/// <summary>
/// What the domain XML does not say and a manifest needs: the virtual size of each disk image (a
/// storage volume's capacity, else a local qcow2 header or file length) and what a host PCI device
/// is (from libvirt's node devices).
/// </summary>
public static class KubeVirtHostFacts
{
    /// <summary>Options with <see cref="KubeVirtOptions.DiskSize"/> and <see cref="KubeVirtOptions.PciLookup"/> answered from a connection.</summary>
    public static Func<string, ulong?> DiskSizeOf(LibvirtConnection conn) => path =>
    {
        try
        {
            using StorageVolume? v = StorageVolume.TryLookupByPath(conn, path);
            if (v is not null)
            {
                return v.GetDefinition().CapacityBytes;
            }
        }
        catch (LibvirtException)
        {
            // No pool holds it, or the driver has no storage: try the file itself.
        }
        return conn.IsLocal ? LocalImageSize(path) : null;
    };

    public static Func<string, KubeVirtPciInfo?> PciOf(LibvirtConnection conn)
    {
        List<PciNodeDevice>? all = null;
        return address =>
        {
            try
            {
                all ??= HostDeviceService.ReadAll(conn);
            }
            catch (LibvirtException)
            {
                all = new List<PciNodeDevice>();
            }
            PciNodeDevice? d = all.FirstOrDefault(x => x.Address.ToString() == address);
            return d?.VendorId is string v && d.ProductId is string p
                ? new KubeVirtPciInfo(v.Replace("0x", ""), p.Replace("0x", ""), (d.ClassCode ?? 0).ToString("x6", System.Globalization.CultureInfo.InvariantCulture))
                : null;
        };
    }

    /// <summary>The virtual size of a local image: a qcow2 header's size field, else the file's length.</summary>
    public static ulong? LocalImageSize(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return null;
            }
            using FileStream f = info.OpenRead();
            Span<byte> header = stackalloc byte[32];
            if (f.Read(header) == 32 && header[0] == 'Q' && header[1] == 'F' && header[2] == 'I' && header[3] == 0xfb)
            {
                return System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(header[24..]);
            }
            return (ulong)info.Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

using System.Runtime.InteropServices;
using KvmPS.Engine.Native;

namespace KvmPS.Engine.Storage;

/// <summary>A libvirt storage pool on one connection: its operations, each checked right after the call.</summary>
public sealed class StoragePool : IDisposable
{
    // The first libvirt versions whose daemons accept the XML validation flags.
    private static readonly Version s_poolValidateSince = new(7, 7, 0);
    private static readonly Version s_volValidateSince = new(8, 10, 0);

    internal StoragePool(LibvirtConnection connection, StoragePoolHandle handle)
    {
        Connection = connection;
        Handle = handle;
        Name = LibvirtConnection.GetName(handle);
    }

    public LibvirtConnection Connection { get; }

    internal StoragePoolHandle Handle { get; }

    public string Name { get; }

    public static List<StoragePool> ListAll(LibvirtConnection conn) =>
        Listing.MakeAll(conn.ListAllStoragePools(), h => new StoragePool(conn, h));

    /// <summary>The pool of that name, or null when there is none.</summary>
    public static StoragePool? TryLookup(LibvirtConnection conn, string name)
    {
        try
        {
            return new StoragePool(conn, conn.LookupStoragePool(name));
        }
        catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoStoragePool)
        {
            return null;
        }
    }

    /// <summary>
    /// The pool an object read earlier names: by its UUID when it has one (a pool removed and made
    /// again under the same name is another pool), else by its exact name; null when gone.
    /// </summary>
    public static StoragePool? TryLookup(LibvirtConnection conn, string name, Guid uuid)
    {
        if (uuid == Guid.Empty)
        {
            return TryLookup(conn, name);
        }
        try
        {
            return new StoragePool(conn, conn.LookupStoragePool(uuid));
        }
        catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoStoragePool)
        {
            return null;
        }
    }

    /// <summary>Defines a persistent pool; the daemon checks the XML against its schema when it can.</summary>
    public static StoragePool Define(LibvirtConnection conn, string xml)
    {
        PayloadLimit.Check("The storage pool XML", xml, conn);
        uint flags = conn.GetLibvirtVersion() >= s_poolValidateSince ? Libvirt.VIR_STORAGE_POOL_DEFINE_VALIDATE : 0;
        return WithOptionalFlags(flags, f =>
        {
            IntPtr p = Libvirt.virStoragePoolDefineXML(conn.Handle, xml, f);
            return p == IntPtr.Zero ? throw LibvirtException.FromLastError("virStoragePoolDefineXML") : new StoragePool(conn, new StoragePoolHandle(p));
        });
    }

    /// <summary>The pool's XML; <paramref name="inactive"/> gives the persistent definition rather than the live one.</summary>
    public string GetXml(bool inactive = false) => WithOptionalFlags(inactive ? Libvirt.VIR_STORAGE_XML_INACTIVE : 0,
        flags => Libvirt.TakeString(Libvirt.virStoragePoolGetXMLDesc(Handle, flags)) ?? throw LibvirtException.FromLastError("virStoragePoolGetXMLDesc"));

    public StoragePoolDefinition GetDefinition(bool inactive = true) => StoragePoolXml.Parse(GetXml(inactive));

    public bool IsActive => LibvirtException.Check(Libvirt.virStoragePoolIsActive(Handle), "virStoragePoolIsActive") == 1;

    public bool IsPersistent => LibvirtException.Check(Libvirt.virStoragePoolIsPersistent(Handle), "virStoragePoolIsPersistent") == 1;

    public bool Autostart
    {
        get
        {
            LibvirtException.Check(Libvirt.virStoragePoolGetAutostart(Handle, out int a), "virStoragePoolGetAutostart");
            return a != 0;
        }
        set => LibvirtException.Check(Libvirt.virStoragePoolSetAutostart(Handle, value ? 1 : 0), "virStoragePoolSetAutostart");
    }

    internal Libvirt.VirStoragePoolInfo GetInfo()
    {
        LibvirtException.Check(Libvirt.virStoragePoolGetInfo(Handle, out var info), "virStoragePoolGetInfo");
        return info;
    }

    /// <summary>Prepares the pool's storage (creates the directory, or the volume group on its devices).</summary>
    public void Build(uint flags = 0) => LibvirtException.Check(Libvirt.virStoragePoolBuild(Handle, flags), "virStoragePoolBuild");

    public void Start() => LibvirtException.Check(Libvirt.virStoragePoolCreate(Handle, 0), "virStoragePoolCreate");

    public void Stop() => LibvirtException.Check(Libvirt.virStoragePoolDestroy(Handle), "virStoragePoolDestroy");

    public void Undefine() => LibvirtException.Check(Libvirt.virStoragePoolUndefine(Handle), "virStoragePoolUndefine");

    /// <summary>Deletes the pool's underlying storage (directory, volume group); the pool must be inactive.</summary>
    public void Delete() => LibvirtException.Check(Libvirt.virStoragePoolDelete(Handle, 0), "virStoragePoolDelete");

    /// <summary>Re-reads the pool's volumes from its storage (files added outside libvirt appear).</summary>
    public void Refresh() => LibvirtException.Check(Libvirt.virStoragePoolRefresh(Handle, 0), "virStoragePoolRefresh");

    public unsafe List<StorageVolume> ListVolumes()
    {
        IntPtr* items;
        int n = LibvirtException.Check(Libvirt.virStoragePoolListAllVolumes(Handle, &items, 0), "virStoragePoolListAllVolumes");
        return Listing.MakeAll(LibvirtConnection.TakeArray(items, n, p => new StorageVolHandle(p)), h => new StorageVolume(this, h));
    }

    /// <summary>The volume of that name in this pool, or null when there is none.</summary>
    public StorageVolume? TryLookupVolume(string name)
    {
        IntPtr p = Libvirt.virStorageVolLookupByName(Handle, name);
        if (p != IntPtr.Zero)
        {
            return new StorageVolume(this, new StorageVolHandle(p));
        }
        var e = LibvirtException.FromLastError("virStorageVolLookupByName");
        return e.Code == LibvirtErrorCode.NoStorageVol ? null : throw e;
    }

    /// <summary>Creates a volume from XML; the daemon checks the XML against its schema when it can.</summary>
    public StorageVolume CreateVolume(string xml)
    {
        PayloadLimit.Check("The volume XML", xml, Connection);
        uint flags = Connection.GetLibvirtVersion() >= s_volValidateSince ? Libvirt.VIR_STORAGE_VOL_CREATE_VALIDATE : 0;
        return WithOptionalFlags(flags, f =>
        {
            IntPtr p = Libvirt.virStorageVolCreateXML(Handle, xml, f);
            return p == IntPtr.Zero ? throw LibvirtException.FromLastError("virStorageVolCreateXML") : new StorageVolume(this, new StorageVolHandle(p));
        });
    }

    /// <summary>The public object for this pool.</summary>
    public KvmStoragePool Describe()
    {
        StoragePoolDefinition d = StoragePoolXml.Parse(GetXml());
        Libvirt.VirStoragePoolInfo info = GetInfo();
        return new KvmStoragePool
        {
            Name = Name,
            Uuid = d.Uuid ?? Guid.Empty,
            Type = d.Type,
            TypeName = d.TypeName,
            Path = d.Path,
            State = (KvmStoragePoolState)info.State,
            CapacityBytes = info.Capacity,
            AllocationBytes = info.Allocation,
            AvailableBytes = info.Available,
            Autostart = Autostart,
            Persistent = IsPersistent,
            SourceHost = d.SourceHosts.Select(h => h.ToString()).ToArray(),
            SourcePath = d.SourcePath,
            SourceDevice = d.SourceDevices.ToArray(),
            SourceName = d.SourceName,
            Uri = Connection.Uri,
        };
    }

    public void Dispose() => Handle.Dispose();

    /// <summary>
    /// Calls with flags that are a nicety (schema validation, the inactive XML); a driver that does
    /// not know them (the test driver, an older daemon) rejects them up front, so the call is made
    /// again without them. (The message is not checked: libvirt may translate it. A real problem
    /// with the arguments shows again in the second call.)
    /// </summary>
    internal static T WithOptionalFlags<T>(uint flags, Func<uint, T> call)
    {
        try
        {
            return call(flags);
        }
        catch (LibvirtException e) when (flags != 0 && e.Code == LibvirtErrorCode.InvalidArg)
        {
            return call(0);
        }
    }
}

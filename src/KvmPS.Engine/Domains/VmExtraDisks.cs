using KvmPS.Engine.Native;
using KvmPS.Engine.Storage;

namespace KvmPS.Engine.Domains;

/// <summary>
/// Plans the disks of -Disk, after the -DiskPath/-DiskSize disk: a size without a path or pool
/// is a volume in -Pool, else in the pool named 'default' (as virt-install makes it); volumes are
/// named like virt-install's (vm.qcow2, vm-1.qcow2, ...). On this machine the files a spec names
/// must exist, unless a size says to create them. Changes nothing.
/// </summary>
public static class VmExtraDisks
{
    public static List<VmDiskPlan> Plan(LibvirtConnection conn, VmRequest r, bool local, bool firstIsVolume)
    {
        var plans = new List<VmDiskPlan>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        int n = firstIsVolume ? 1 : 0;
        var pools = new HashSet<string>(StringComparer.Ordinal);
        string? Host(string? path) => path is null ? null : local ? r.ResolvePath(path) : path;
        foreach (VmDiskRequest d in r.Install.Disks)
        {
            var options = new VmDiskOptions
            {
                Bus = d.Bus, Cache = d.Cache, IO = d.IO, Discard = d.Discard, Device = d.Device, ReadOnly = d.ReadOnly,
                BackingStore = Host(d.BackingStore),
            };
            if (options.BackingStore is string backing && local && !File.Exists(backing))
            {
                throw VmRequestException.Invalid(r.Name, "FileNotFound", $"-Disk backing_store '{d.BackingStore}' does not exist.");
            }
            string format = d.Format ?? "qcow2";
            if (d.Path is null)
            {
                string pool = d.Pool ?? r.Pool ?? "default";
                if (pools.Add(pool))
                {
                    CheckPool(conn, r.Name, pool);
                }
                string name;
                do
                {
                    name = n == 0 ? $"{r.Name}.{format}" : $"{r.Name}-{n}.{format}";
                    n++;
                }
                while (!names.Add(name));
                plans.Add(new VmDiskPlan(VmDiskSource.PoolVolume, name, pool, d.SizeBytes ?? 0, format) { Options = options });
                continue;
            }
            string path = Host(d.Path)!;
            bool create = d.SizeBytes is not null || options.BackingStore is not null;
            if (!local && create)
            {
                throw VmRequestException.Invalid(r.Name, "RemoteDiskPath", $"-Disk path '{d.Path}' with size= would be made on this machine, not on {conn.Uri}: give pool= to make a volume there.");
            }
            if (!local)
            {
                plans.Add(new VmDiskPlan(VmDiskSource.ExistingFile, path, null, 0, RemoteFormat(conn, r.Name, d, path)) { Options = options });
                continue;
            }
            if (File.Exists(path))
            {
                plans.Add(new VmDiskPlan(VmDiskSource.ExistingFile, path, null, 0, d.Device == "cdrom" ? "raw" : d.Format) { Options = options });
                continue;
            }
            if (!create || d.Device == "cdrom")
            {
                throw VmRequestException.Invalid(r.Name, d.Device == "cdrom" ? "FileNotFound" : "DiskNotFound",
                    $"-Disk path '{d.Path}' does not exist{(d.Device == "cdrom" ? "" : ": give size= to create it, or an existing image")}.");
            }
            plans.Add(new VmDiskPlan(VmDiskSource.NewFile, path, null, d.SizeBytes ?? 0, format) { Options = options });
        }
        var twice = plans.Where(p => p.Source != VmDiskSource.PoolVolume).GroupBy(p => p.Location).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw VmRequestException.Invalid(r.Name, "DiskGivenTwice", $"-Disk names '{twice.Key}' twice.");
        }
        return plans;
    }

    /// <summary>
    /// The format of an existing -Disk file on a remote host, decided there: format= as given (a
    /// CD-ROM is raw), else the format the host's pool reports for it. A file no pool holds is not
    /// probed on this machine (it is not this machine's): without format= it is refused.
    /// </summary>
    private static string RemoteFormat(LibvirtConnection conn, string vm, VmDiskRequest d, string path)
    {
        if (RemotePath.Problem(conn.Uri, "Disk path", path) is string relative)
        {
            throw VmRequestException.Invalid(vm, "RelativePathOnRemoteHost", relative);
        }
        if (d.Device == "cdrom")
        {
            return "raw";
        }
        if (d.Format is string given)
        {
            return given;
        }
        if (HostVolumes.Find(conn, path) is { } v && v.Volume.Format is { Length: > 0 } f && f != "none")
        {
            return f;
        }
        throw VmRequestException.Invalid(vm, "DiskFormatUnknown",
            $"-Disk path '{path}' is a file of {conn.Uri}, which is not this machine, and no storage pool there reports its format: give format= "
            + "(or define a pool over its directory there: New-KvmStoragePool -Type Dir -Path <directory> -Uri ...).");
    }

    private static void CheckPool(LibvirtConnection conn, string vm, string pool)
    {
        try
        {
            conn.LookupStoragePool(pool).Dispose();
        }
        catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoStoragePool)
        {
            throw new VmRequestException("PoolNotFound", KvmErrorKind.NotFound, pool,
                $"No storage pool named '{pool}' on {conn.Uri} for a -Disk without path= (give pool= or -Pool).");
        }
    }
}

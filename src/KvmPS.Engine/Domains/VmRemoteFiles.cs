using KvmPS.Engine.Storage;

namespace KvmPS.Engine.Domains;

/// <summary>
/// The files a new VM names on a host that is not this machine. Nothing of this machine decides
/// about them (no local file test, no qemu-img): a path is the host's, so it must be absolute, and
/// it is looked up as a volume of the host's storage pools. An existing disk must be one (its
/// format comes from libvirt); a CD-ROM, kernel or initrd that no pool holds is used as given,
/// with a warning that it could not be checked; a cloud-init seed goes to the pool of the disk.
/// </summary>
public static class VmRemoteFiles
{
    public static VmRemoteDisk Check(LibvirtConnection conn, VmRequest r, List<string> warnings)
    {
        foreach (var (param, value) in new[]
        {
            ("DiskPath", r.DiskPath), ("Cdrom", r.Cdrom), ("Kernel", r.Kernel), ("Initrd", r.Initrd), ("SerialLogPath", r.SerialLogPath),
        })
        {
            if (value is not null && RemotePath.Problem(conn.Uri, param, value) is string problem)
            {
                throw VmRequestException.Invalid(r.Name, "RelativePathOnRemoteHost", problem);
            }
        }
        if (r.DiskPath is not null && !r.Import)
        {
            throw VmRequestException.Invalid(r.Name, "DiskPathOnRemoteHost", "Creating a disk file needs a local host; on a remote host use -Pool.");
        }

        VmRemoteDisk disk = new(false, null, null);
        if (r.DiskPath is string path)
        {
            var found = HostVolumes.Find(conn, path);
            if (found is not { } v)
            {
                throw VmRequestException.Invalid(r.Name, "DiskNotFound",
                    $"-Import: '{path}' is no volume of any storage pool of {conn.Uri}, and that host's files are checked only through its pools. "
                    + "Define a pool over its directory there (New-KvmStoragePool -Type Dir -Path <directory> -Uri ...), or upload the image with Import-KvmVolume.");
            }
            string? format = r.DiskFormat ?? (string.IsNullOrEmpty(v.Volume.Format) || v.Volume.Format == "none" ? null : v.Volume.Format);
            if (format is null)
            {
                throw VmRequestException.Invalid(r.Name, "DiskFormatUnknown",
                    $"-Import: pool '{v.Pool}' of {conn.Uri} reports no format for '{path}': give -DiskFormat.");
            }
            disk = new VmRemoteDisk(true, format, v.Pool);
        }
        foreach (var (param, value) in new[] { ("Cdrom", r.Cdrom), ("Kernel", r.Kernel), ("Initrd", r.Initrd) })
        {
            if (value is not null && HostVolumes.Find(conn, value) is null)
            {
                warnings.Add($"-{param} '{value}' is in no storage pool of {conn.Uri}, so it cannot be checked from here; libvirt says at the VM's start if it is missing.");
            }
        }
        if (r.CloudInitUserData is not null && r.Pool is null && disk.Pool is null)
        {
            throw VmRequestException.Invalid(r.Name, "SeedNeedsPool",
                $"-CloudInit on {conn.Uri}: the seed ISO is uploaded into a storage pool there; give -Pool.");
        }
        return disk;
    }
}

using System.Xml.Linq;
using KvmPS.Engine.Storage;

namespace KvmPS.Engine.Domains;

/// <summary>Removes storage a VM owns: a libvirt volume when the path is one, else a local file.</summary>
public static class OwnedStorage
{
    /// <summary>
    /// What -DeleteStorage may delete: the paths that are both in the VM's ownership metadata
    /// (<see cref="DomainXml.OwnedPaths"/>) and a disk, CD-ROM or seed source of one of its
    /// definitions. The metadata alone is not enough: an imported definition can name any file.
    /// The rest of the metadata's paths come back apart, to be reported and left in place.
    /// </summary>
    public static (List<string> Delete, List<string> NotSources) Plan(XElement owner, params XElement?[] definitions)
    {
        var sources = definitions.OfType<XElement>().Prepend(owner)
            .SelectMany(d => StorageUsage.SourcePaths(d)).ToHashSet(StringComparer.Ordinal);
        var delete = new List<string>();
        var notSources = new List<string>();
        foreach (string path in DomainXml.OwnedPaths(owner).Order(StringComparer.Ordinal))
        {
            (sources.Contains(StorageUsage.Normalize(path)) ? delete : notSources).Add(path);
        }
        return (delete, notSources);
    }

    /// <summary>The paths among <paramref name="paths"/> that VMs other than <paramref name="vm"/> use (as disks or under their overlays).</summary>
    public static IReadOnlyList<(string Path, IReadOnlyList<string> Users)> SharedWithOthers(StorageUsage usage, IEnumerable<string> paths, string vm) =>
        usage.Used(paths, except: vm);

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

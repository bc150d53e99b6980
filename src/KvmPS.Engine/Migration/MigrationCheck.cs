using System.Xml.Linq;

namespace KvmPS.Engine.Migration;

/// <summary>
/// The refusals Move-KvmVM makes before anything moves, from the VM's definition and the
/// destination's facts: a CPU the destination cannot run, a writable disk the destination does
/// not share without -CopyStorage (libvirt's "unsafe migration"), a disk to copy with nowhere to
/// create it (no pool at its directory on the destination), a read-only disk or CD the
/// destination lacks, and networks or pools the VM uses that the destination does not have.
/// </summary>
public static class MigrationCheck
{
    public static IReadOnlyList<MigrationRefusal> Refusals(string domainXml, MigrationRequest request, DestinationFacts dest, bool running)
    {
        var list = new List<MigrationRefusal>();
        XElement dom = SafeXml.Parse(domainXml);
        string name = (string?)dom.Element("name") ?? "";
        if (dest.HasDomain && !request.UndefineSource)
        {
            // libvirt would refuse it too; said here before the job starts.
            list.Add(new("DestinationHasVM", KvmErrorKind.AlreadyExists, $"the destination has a VM named '{name}' (or with its UUID) already"));
        }
        if (dest.CpuComparison == 0)
        {
            list.Add(new("CpuIncompatible", KvmErrorKind.InvalidOperation,
                "the destination's CPU cannot run the VM's CPU model (Compare-KvmHostCpu; Get-KvmHostCpuBaseline gives a model all hosts run)"));
        }
        foreach (XElement iface in dom.Elements("devices").Elements("interface").Where(i => (string?)i.Attribute("type") == "network"))
        {
            string? net = (string?)iface.Element("source")?.Attribute("network");
            if (net is not null && !dest.Networks.Contains(net))
            {
                list.Add(new("DestinationLacksNetwork", KvmErrorKind.NotFound, $"the destination has no network '{net}' (used by the VM's adapter {(string?)iface.Element("mac")?.Attribute("address")})"));
            }
        }
        foreach (XElement disk in dom.Elements("devices").Elements("disk"))
        {
            CheckDisk(disk, request, dest, running, list);
        }
        return list.GroupBy(r => r.Message).Select(g => g.First()).ToList();
    }

    private static void CheckDisk(XElement disk, MigrationRequest request, DestinationFacts dest, bool running, List<MigrationRefusal> list)
    {
        string type = (string?)disk.Attribute("type") ?? "file";
        XElement? source = disk.Element("source");
        string target = (string?)disk.Element("target")?.Attribute("dev") ?? "?";
        if (source is null || type is "network")
        {
            // Empty CD drives and network disks (rbd, iscsi, nbd...) have nothing local to move.
            return;
        }
        if (type == "volume")
        {
            string? pool = (string?)source.Attribute("pool");
            if (pool is not null && !dest.Pools.Contains(pool))
            {
                list.Add(new("DestinationLacksPool", KvmErrorKind.NotFound, $"the destination has no storage pool '{pool}' (disk {target})"));
            }
            return;
        }
        string? path = (string?)source.Attribute("file") ?? (string?)source.Attribute("dev");
        if (path is null || dest.HasVolumeAt(path))
        {
            return;
        }
        bool readOnly = disk.Element("readonly") is not null || (string?)disk.Attribute("device") is "cdrom" or "floppy";
        if (readOnly)
        {
            list.Add(new("DestinationLacksFile", KvmErrorKind.NotFound, $"the destination has no '{path}' (read-only disk {target}): copy it there or detach it"));
        }
        else if (running && request.CopyStorage is null)
        {
            list.Add(new("UnsafeMigration", KvmErrorKind.InvalidOperation,
                $"disk {target} ('{path}') is not shared with the destination: give -CopyStorage All (or Incremental) to copy it, or put it on shared storage"));
        }
        else if (running && !dest.PoolDirectories.Contains(Path.GetDirectoryName(path) ?? ""))
        {
            list.Add(new("DestinationLacksStorage", KvmErrorKind.NotFound,
                $"disk {target} ('{path}') cannot be copied: the destination has no storage pool at '{Path.GetDirectoryName(path)}' to create it in"));
        }
        else if (!running)
        {
            list.Add(new("DestinationLacksFile", KvmErrorKind.NotFound, $"the destination has no '{path}' (disk {target}); a shut-off VM moves its definition only"));
        }
    }
}

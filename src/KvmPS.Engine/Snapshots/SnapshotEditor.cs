using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Engine.Snapshots;

/// <summary>
/// Renames a snapshot or changes its description. libvirt has no call for either: the snapshot is
/// defined again from its own XML (redefine), under the new name, and the old name's metadata goes;
/// its children are redefined onto the new name, and KvmPS's record follows.
/// </summary>
public static class SnapshotEditor
{
    public static void Rename(LibvirtConnection conn, DomainHandle h, string name, string newName)
    {
        if (ObjectName.Validate("snapshot", newName) is string bad)
        {
            throw VmRequestException.Invalid(newName, "InvalidSnapshotName", bad);
        }
        var names = SnapshotService.Names(h);
        if (names.Contains(newName, StringComparer.Ordinal))
        {
            throw new VmRequestException("SnapshotExists", KvmErrorKind.AlreadyExists, newName,
                $"VM '{LibvirtConnection.GetName(h)}' already has a snapshot named '{newName}'.");
        }
        string xml = SnapshotService.GetXml(h, name);
        bool testDriver = string.Equals(conn.GetHypervisorType(), "test", StringComparison.OrdinalIgnoreCase);
        if (!testDriver && SafeXml.Parse(xml).Element("disks")?.Elements("disk").Any(d => (string?)d.Attribute("snapshot") == "internal") == true)
        {
            throw new VmRequestException("InternalSnapshotRename", KvmErrorKind.NotSupported, name,
                $"Snapshot '{name}' is internal: qemu keeps it inside the qcow2 images under its name, and neither qemu nor libvirt can rename it there. "
                + "Set its description instead (Set-KvmSnapshot -Description), or take a new snapshot under the new name.");
        }
        bool current = SnapshotService.IsCurrent(h, name);
        var children = names.Where(n => SnapshotXml.ParentOf(SnapshotService.GetXml(h, n)) == name).ToList();
        SnapshotService.Redefine(h, SnapshotXml.Redefined(xml, newName, null, false), current);
        foreach (string c in children)
        {
            SnapshotService.Redefine(h, SnapshotXml.WithParent(SnapshotService.GetXml(h, c), newName), SnapshotService.IsCurrent(h, c));
        }
        // The test driver keeps no images, and knows no metadata-only delete: its delete is one.
        SnapshotService.Delete(h, name, metadataOnly: !testDriver);
        if (current)
        {
            SnapshotService.Redefine(h, SnapshotService.GetXml(h, newName), current: true);
        }
        if (DomainService.IsPersistent(h))
        {
            DomainEditor.EditConfig(conn, h, config => SnapshotRecord.Rename(config, name, newName));
        }
    }

    public static void SetDescription(DomainHandle h, string name, string? description) =>
        SnapshotService.Redefine(h, SnapshotXml.Redefined(SnapshotService.GetXml(h, name), null, description, true), SnapshotService.IsCurrent(h, name));
}

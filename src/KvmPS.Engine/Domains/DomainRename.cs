using KvmPS.Engine.Native;

namespace KvmPS.Engine.Domains;

/// <summary>Renames a domain (virDomainRename; libvirt renames only inactive domains, and keeps UUID, disks and snapshots).</summary>
public static class DomainRename
{
    public static void Rename(DomainHandle h, string newName) =>
        LibvirtException.Check(Libvirt.virDomainRename(h, newName, 0), "virDomainRename");
}

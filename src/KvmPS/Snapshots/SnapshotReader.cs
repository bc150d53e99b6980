using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;
using KvmPS.Engine.Snapshots;

namespace KvmPS.Commands;

/// <summary>Reads a VM's snapshots with the definition that holds KvmPS's record of them.</summary>
internal static class SnapshotReader
{
    public static List<KvmSnapshot> Read(LibvirtConnection conn, DomainHandle h) =>
        SnapshotService.ReadAll(conn, h, SafeXml.Parse(DomainService.IsPersistent(h) ? DomainService.GetInactiveXml(h) : LibvirtConnection.GetXml(h)));
}

using System.Buffers.Binary;
using System.Xml.Linq;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;
using KvmPS.Engine.Storage;

namespace KvmPS.Engine.Backups;

/// <summary>Reads what the backup planner decides from: the VM, its disks, checkpoints, the destination and a chain already there. Changes nothing.</summary>
public static class BackupInspector
{
    public static BackupRequest Read(LibvirtConnection conn, DomainHandle h, string destination, bool incremental, DateTime nowUtc)
    {
        var (state, _) = DomainService.GetState(h);
        XElement live = SafeXml.Parse(LibvirtConnection.GetXml(h));
        string name = (string?)live.Element("name") ?? "";
        Guid uuid = Guid.TryParse((string?)live.Element("uuid"), out Guid g) ? g : Guid.Empty;
        bool local = conn.IsLocal;
        var disks = DeviceXml.Disks(live).Select(d => ReadDisk(conn, d, local)).ToList();
        List<string> checkpoints;
        try
        {
            checkpoints = DomainBackupApi.ListCheckpoints(h);
        }
        catch (LibvirtException e) when (e.Kind == KvmErrorKind.NotSupported || e.Code == LibvirtErrorCode.NoSupport)
        {
            checkpoints = new List<string>();
        }
        BackupDestination dest = local
            ? BackupDestination.Inspect(destination)
            : new BackupDestination(destination, false, false, null, null);
        BackupManifest? existing = local && dest.Exists ? ReadManifest(dest.Path) : null;
        return new BackupRequest(name, uuid, state, DomainService.IsPersistent(h), local, incremental, disks, checkpoints, dest, existing, nowUtc);
    }

    private static BackupManifest? ReadManifest(string dir)
    {
        try
        {
            return BackupManifest.TryLoad(dir);
        }
        catch (InvalidDataException e)
        {
            throw new BackupException("InvalidBackupManifest", KvmErrorKind.InvalidArgument, dir, $"'{Path.Combine(dir, BackupManifest.FileName)}': {e.Message}", e);
        }
    }

    private static BackupDiskSource ReadDisk(LibvirtConnection conn, XElement d, bool local)
    {
        string target = (string?)d.Element("target")?.Attribute("dev") ?? "";
        string device = (string?)d.Attribute("device") ?? "disk";
        string? path = DeviceSourceText.Disk(d);
        string? format = (string?)d.Element("driver")?.Attribute("type");
        bool readOnly = d.Element("readonly") is not null;
        int? version = null;
        ulong allocation = 0;
        if (path is not null && device == "disk")
        {
            if (HostVolumes.Find(conn, path) is { } v)
            {
                allocation = v.Volume.AllocationBytes;
            }
            if (local && File.Exists(path))
            {
                version = format == "qcow2" ? Qcow2Version(path) : null;
                if (allocation == 0)
                {
                    allocation = (ulong)new FileInfo(path).Length;
                }
            }
        }
        return new BackupDiskSource(target, device, path, format, version, allocation, readOnly);
    }

    /// <summary>The version field of a qcow2 header (2 or 3), or null when it cannot be read.</summary>
    public static int? Qcow2Version(string path)
    {
        try
        {
            using FileStream f = new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            Span<byte> head = stackalloc byte[8];
            return f.Read(head) == 8 && head[0] == (byte)'Q' && head[1] == (byte)'F' && head[2] == (byte)'I' && head[3] == 0xFB
                ? (int)BinaryPrimitives.ReadUInt32BigEndian(head[4..]) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

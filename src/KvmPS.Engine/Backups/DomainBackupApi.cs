using System.Runtime.InteropServices;
using KvmPS.Engine.Native;

namespace KvmPS.Engine.Backups;

/// <summary>
/// The libvirt calls a backup needs, checked and wrapped: begin a push-mode backup (with the
/// checkpoint it creates), read and abort its job, look up and delete checkpoints, freeze and
/// thaw the guest's filesystems through its agent, start a shut-off domain paused.
/// </summary>
public static unsafe class DomainBackupApi
{
    public static void Begin(DomainHandle h, string backupXml, string? checkpointXml) =>
        LibvirtException.Check(Libvirt.virDomainBackupBegin(h, backupXml, checkpointXml, 0), "virDomainBackupBegin");

    /// <summary>The job under way (<paramref name="completed"/>: the record of the last finished one, kept for another read).</summary>
    public static BackupJobStats GetJob(DomainHandle h, bool completed)
    {
        uint flags = completed ? Libvirt.VIR_DOMAIN_JOB_STATS_COMPLETED | Libvirt.VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED : 0;
        LibvirtException.Check(Libvirt.virDomainGetJobStats(h, out int type, out Libvirt.VirTypedParameter* ps, out int n, flags), "virDomainGetJobStats");
        try
        {
            var fields = new Dictionary<string, object>(StringComparer.Ordinal);
            for (int i = 0; i < n; i++)
            {
                Libvirt.VirTypedParameter* p = &ps[i];
                string name = Marshal.PtrToStringUTF8((IntPtr)p->Field) ?? "";
                fields[name] = p->Type switch
                {
                    Libvirt.VIR_TYPED_PARAM_INT => (object)(long)(int)p->Value,
                    Libvirt.VIR_TYPED_PARAM_UINT => (ulong)(uint)p->Value,
                    Libvirt.VIR_TYPED_PARAM_LLONG => p->Value,
                    Libvirt.VIR_TYPED_PARAM_ULLONG => (ulong)p->Value,
                    Libvirt.VIR_TYPED_PARAM_DOUBLE => (ulong)BitConverter.Int64BitsToDouble(p->Value),
                    Libvirt.VIR_TYPED_PARAM_BOOLEAN => (int)p->Value != 0,
                    Libvirt.VIR_TYPED_PARAM_STRING => Marshal.PtrToStringUTF8((IntPtr)p->Value) ?? "",
                    _ => 0UL,
                };
            }
            return BackupJobStats.From(type, fields);
        }
        finally
        {
            if (ps != null)
            {
                Libvirt.virTypedParamsFree(ps, n);
            }
        }
    }

    public static void AbortJob(DomainHandle h) => LibvirtException.Check(Libvirt.virDomainAbortJob(h), "virDomainAbortJob");

    /// <summary>Whether the domain has a checkpoint of that name.</summary>
    public static bool HasCheckpoint(DomainHandle h, string name)
    {
        IntPtr p = Libvirt.virDomainCheckpointLookupByName(h, name, 0);
        if (p == IntPtr.Zero)
        {
            var e = LibvirtException.FromLastError("virDomainCheckpointLookupByName");
            return e.Code == LibvirtErrorCode.NoDomainCheckpoint ? false : throw e;
        }
        using var _ = new CheckpointHandle(p);
        return true;
    }

    /// <summary>Deletes a checkpoint and its dirty bitmaps; false when there is none of that name.</summary>
    public static bool DeleteCheckpoint(DomainHandle h, string name)
    {
        IntPtr p = Libvirt.virDomainCheckpointLookupByName(h, name, 0);
        if (p == IntPtr.Zero)
        {
            var e = LibvirtException.FromLastError("virDomainCheckpointLookupByName");
            return e.Code == LibvirtErrorCode.NoDomainCheckpoint ? false : throw e;
        }
        using var cp = new CheckpointHandle(p);
        LibvirtException.Check(Libvirt.virDomainCheckpointDelete(cp, 0), "virDomainCheckpointDelete");
        return true;
    }

    /// <summary>The names of the domain's checkpoints.</summary>
    public static List<string> ListCheckpoints(DomainHandle h)
    {
        IntPtr* items;
        int n = LibvirtException.Check(Libvirt.virDomainListAllCheckpoints(h, &items, 0), "virDomainListAllCheckpoints");
        var names = new List<string>(n);
        try
        {
            for (int i = 0; i < n; i++)
            {
                using var cp = new CheckpointHandle(items[i]);
                names.Add(Marshal.PtrToStringUTF8(Libvirt.virDomainCheckpointGetName(cp)) ?? "");
            }
        }
        finally
        {
            NativeMemory.Free(items);
        }
        return names;
    }

    /// <summary>Freezes the guest's filesystems through its agent; returns null, or why it could not.</summary>
    public static string? TryFreeze(DomainHandle h)
    {
        if (Libvirt.virDomainFSFreeze(h, IntPtr.Zero, 0, 0) < 0)
        {
            return LibvirtException.FromLastError("virDomainFSFreeze").LibvirtMessage;
        }
        return null;
    }

    /// <summary>Thaws what <see cref="TryFreeze"/> froze; returns null, or libvirt's message.</summary>
    public static string? TryThaw(DomainHandle h) =>
        Libvirt.virDomainFSThaw(h, IntPtr.Zero, 0, 0) < 0 ? LibvirtException.FromLastError("virDomainFSThaw").LibvirtMessage : null;

    /// <summary>Starts a shut-off domain paused, tied to this connection (libvirt destroys it if the connection goes).</summary>
    public static void StartPausedForBackup(DomainHandle h) =>
        LibvirtException.Check(Libvirt.virDomainCreateWithFlags(h, Libvirt.VIR_DOMAIN_START_PAUSED | Libvirt.VIR_DOMAIN_START_AUTODESTROY), "virDomainCreateWithFlags");

    public static void Destroy(DomainHandle h) => LibvirtException.Check(Libvirt.virDomainDestroy(h), "virDomainDestroy");
}

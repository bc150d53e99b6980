using System.Runtime.CompilerServices;
using KvmPS.Engine.Native;

namespace KvmPS.Engine.Statistics;

/// <summary>
/// The bulk statistics call: one virConnectGetAllDomainStats for every domain of a host, whatever
/// their number. Records are copied out (name, UUID, typed parameters) before libvirt's list is freed;
/// parameter names repeat from domain to domain and are decoded once per call.
/// </summary>
public static class DomainStatsReader
{
    /// <summary>Everything Get-KvmVMStatistics shows: state, CPU, balloon, vCPUs, NICs and disks.</summary>
    public const uint AllGroups = Libvirt.VIR_DOMAIN_STATS_STATE | Libvirt.VIR_DOMAIN_STATS_CPU_TOTAL | Libvirt.VIR_DOMAIN_STATS_BALLOON
        | Libvirt.VIR_DOMAIN_STATS_VCPU | Libvirt.VIR_DOMAIN_STATS_INTERFACE | Libvirt.VIR_DOMAIN_STATS_BLOCK;

    /// <summary>Only the state (what Get-KvmVM needs).</summary>
    public const uint StateOnly = Libvirt.VIR_DOMAIN_STATS_STATE;

    /// <summary>
    /// Reads the records of all domains. With <paramref name="keepHandles"/> each record carries a
    /// domain reference of its own. Throws LibvirtException (NotSupported for drivers without bulk stats).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe List<DomainStatsRecord> ReadAll(LibvirtConnection conn, uint groups, bool keepHandles = false)
    {
        Libvirt.VirDomainStatsRecord** records;
        int n = Libvirt.virConnectGetAllDomainStats(conn.Handle, groups, &records, 0);
        if (n < 0)
        {
            throw LibvirtException.FromLastError("virConnectGetAllDomainStats");
        }
        return CopyOut(records, n, keepHandles);
    }

    /// <summary>
    /// Reads the records of the given domains only, in one virDomainListGetStats call: what a few
    /// named VMs cost on a host of a thousand is their own statistics, not everyone's.
    /// </summary>
    public static unsafe List<DomainStatsRecord> ReadSome(IReadOnlyList<DomainHandle> domains, uint groups)
    {
        if (domains.Count == 0)
        {
            return new List<DomainStatsRecord>();
        }
        var refs = new bool[domains.Count];
        IntPtr[] list = new IntPtr[domains.Count + 1];   // NULL-terminated
        try
        {
            for (int i = 0; i < domains.Count; i++)
            {
                domains[i].DangerousAddRef(ref refs[i]);
                list[i] = domains[i].DangerousGetHandle();
            }
            Libvirt.VirDomainStatsRecord** records;
            int n;
            fixed (IntPtr* doms = list)
            {
                n = Libvirt.virDomainListGetStats(doms, groups, &records, 0);
            }
            if (n < 0)
            {
                throw LibvirtException.FromLastError("virDomainListGetStats");
            }
            return CopyOut(records, n, keepHandles: false);
        }
        finally
        {
            for (int i = 0; i < domains.Count; i++)
            {
                if (refs[i])
                {
                    domains[i].DangerousRelease();
                }
            }
        }
    }

    private static unsafe List<DomainStatsRecord> CopyOut(Libvirt.VirDomainStatsRecord** records, int n, bool keepHandles)
    {
        var list = new List<DomainStatsRecord>(n);
        var names = new ParameterNames();
        try
        {
            for (int i = 0; i < n; i++)
            {
                Libvirt.VirDomainStatsRecord* rec = records[i];
                var record = new DomainStatsRecord(NameOf(rec->Dom), UuidOf(rec->Dom), TypedParameters.Read(rec->Params, rec->NParams, names));
                if (keepHandles)
                {
                    // The record list owns its domain references: take our own before it is freed.
                    if (Libvirt.virDomainRef(rec->Dom) < 0)
                    {
                        throw LibvirtException.FromLastError("virDomainRef");
                    }
                    record.Handle = new DomainHandle(rec->Dom);
                }
                list.Add(record);
            }
        }
        catch
        {
            list.ForEach(r => r.Handle?.Dispose());
            throw;
        }
        finally
        {
            Libvirt.virDomainStatsRecordListFree(records);
        }
        return list;
    }

    /// <summary>The name of a domain pointer libvirt lent us (an event's or a record's).</summary>
    internal static string NameOf(IntPtr dom) =>
        System.Runtime.InteropServices.Marshal.PtrToStringUTF8(Libvirt.virDomainGetName(dom)) ?? "";

    /// <summary>The UUID of a lent domain pointer (Guid.Empty when libvirt cannot say).</summary>
    internal static unsafe Guid UuidOf(IntPtr dom)
    {
        byte* raw = stackalloc byte[16];
        if (Libvirt.virDomainGetUUID(dom, raw) < 0)
        {
            Libvirt.virResetLastError();
            return Guid.Empty;
        }
        return UuidFromBytes(new ReadOnlySpan<byte>(raw, 16));
    }

    /// <summary>libvirt's 16 UUID bytes are in RFC 4122 (big-endian) order.</summary>
    public static Guid UuidFromBytes(ReadOnlySpan<byte> raw) => new(raw, bigEndian: true);
}

using System.Runtime.InteropServices;
using System.Text;
using KvmPS.Engine.Native;
using KvmPS.Engine.Statistics;

namespace KvmPS.Engine.Domains;

/// <summary>Domain operations over an open connection. Every failing call throws LibvirtException.</summary>
public static class DomainService
{
    /// <summary>
    /// Lists VMs in bulk: one call for all domains with their states (virConnectGetAllDomainStats),
    /// two filtered listings for autostart and persistence, then one XML read per domain, four at a
    /// time (the order of the result does not depend on it).
    /// </summary>
    public static List<KvmVM> ListAll(LibvirtConnection conn, Func<string, bool>? nameFilter = null)
    {
        var autostart = NamesWhere(conn, Libvirt.VIR_CONNECT_LIST_DOMAINS_AUTOSTART);
        var persistent = NamesWhere(conn, Libvirt.VIR_CONNECT_LIST_DOMAINS_PERSISTENT);
        // A domain that ends between the listing and its read (a transient VM shutting down) is
        // skipped, not an error of the whole listing.
        var listed = ListWithStates(conn);
        var states = listed.ToDictionary(l => l.Item1, l => (l.Item2, l.Item3));
        return Listing.ReadEach(listed.Select(l => l.Item1).ToList(), handle =>
        {
            string name = LibvirtConnection.GetName(handle);
            if (nameFilter is not null && !nameFilter(name))
            {
                return null;
            }
            var (state, reason) = states[handle];
            string xml = LibvirtConnection.GetXml(handle);
            return DomainXml.Read(xml, state, reason, autostart.Contains(name), persistent.Contains(name), conn.Uri);
        }, ParallelReads);
    }

    /// <summary>XML reads in flight at once while listing.</summary>
    internal const int ParallelReads = 4;

    /// <summary>Reads one VM through its handle.</summary>
    public static KvmVM Get(LibvirtConnection conn, DomainHandle h)
    {
        var (state, reason) = GetState(h);
        if (Libvirt.virDomainGetAutostart(h, out int auto) < 0)
        {
            throw LibvirtException.FromLastError("virDomainGetAutostart");
        }
        int persistent = Libvirt.virDomainIsPersistent(h);
        if (persistent < 0)
        {
            throw LibvirtException.FromLastError("virDomainIsPersistent");
        }
        return DomainXml.Read(LibvirtConnection.GetXml(h), state, reason, auto == 1, persistent == 1, conn.Uri);
    }

    public static KvmVM Get(LibvirtConnection conn, string name)
    {
        using DomainHandle h = conn.LookupDomain(name);
        return Get(conn, h);
    }

    /// <summary>The domain if it exists, else null (other failures still throw).</summary>
    public static DomainHandle? TryLookup(LibvirtConnection conn, string name)
    {
        try
        {
            return conn.LookupDomain(name);
        }
        catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoDomain)
        {
            return null;
        }
    }

    public static (KvmVMState State, int Reason) GetState(DomainHandle h)
    {
        if (Libvirt.virDomainGetState(h, out int state, out int reason, 0) < 0)
        {
            throw LibvirtException.FromLastError("virDomainGetState");
        }
        return ((KvmVMState)state, reason);
    }

    private static HashSet<string> NamesWhere(LibvirtConnection conn, uint flags)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (DomainHandle h in conn.ListAllDomains(flags))
        {
            using (h)
            {
                names.Add(LibvirtConnection.GetName(h));
            }
        }
        return names;
    }

    private static List<(DomainHandle, KvmVMState, int)> ListWithStates(LibvirtConnection conn)
    {
        List<DomainStatsRecord> records;
        try
        {
            records = DomainStatsReader.ReadAll(conn, DomainStatsReader.StateOnly, keepHandles: true);
        }
        catch (LibvirtException e) when (e.Kind == KvmErrorKind.NotSupported)
        {
            return ListAndAskStates(conn);
        }
        return records.Select(r => (r.Handle!, (KvmVMState)(r.Parameters.GetInt64("state.state") ?? 0),
            (int)(r.Parameters.GetInt64("state.reason") ?? 0))).ToList();
    }

    /// <summary>Drivers without bulk stats: list, then ask each domain its state.</summary>
    private static List<(DomainHandle, KvmVMState, int)> ListAndAskStates(LibvirtConnection conn)
    {
        List<DomainHandle> all = conn.ListAllDomains();
        var withStates = new List<(DomainHandle, KvmVMState, int)>(all.Count);
        try
        {
            foreach (DomainHandle h in all)
            {
                try
                {
                    var (s, r) = GetState(h);
                    withStates.Add((h, s, r));
                }
                catch (LibvirtException ge) when (Listing.Vanished(ge))
                {
                    h.Dispose();
                }
            }
        }
        catch
        {
            all.ForEach(h => h.Dispose());
            throw;
        }
        return withStates;
    }

    /// <summary>
    /// Defines (or redefines) a domain. With <paramref name="validate"/>, libvirt checks the XML
    /// against its schema first, so unknown elements are refused instead of silently dropped;
    /// drivers without schema validation (the test driver) define without it.
    /// </summary>
    public static DomainHandle Define(LibvirtConnection conn, string xml, bool validate = false)
    {
        PayloadLimit.Check("The domain XML", xml, conn);
        if (validate)
        {
            IntPtr v = Libvirt.virDomainDefineXMLFlags(conn.Handle, xml, Libvirt.VIR_DOMAIN_DEFINE_VALIDATE);
            if (v != IntPtr.Zero)
            {
                return new DomainHandle(v);
            }
            var e = LibvirtException.FromLastError("virDomainDefineXMLFlags");
            if (e.Code is not (LibvirtErrorCode.InvalidArg or LibvirtErrorCode.NoSupport or LibvirtErrorCode.ArgumentUnsupported))
            {
                throw e;
            }
        }
        IntPtr p = Libvirt.virDomainDefineXML(conn.Handle, xml);
        return p == IntPtr.Zero ? throw LibvirtException.FromLastError("virDomainDefineXML") : new DomainHandle(p);
    }

    public static void Undefine(DomainHandle h, bool removeNvram)
    {
        // Snapshot metadata goes with the VM (libvirt refuses to undefine a VM that has snapshots
        // otherwise); callers refuse VMs with snapshots unless the user asked for this.
        uint flags = Libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | Libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA
            | (removeNvram ? Libvirt.VIR_DOMAIN_UNDEFINE_NVRAM : Libvirt.VIR_DOMAIN_UNDEFINE_KEEP_NVRAM);
        if (Libvirt.virDomainUndefineFlags(h, flags) < 0)
        {
            var e = LibvirtException.FromLastError("virDomainUndefineFlags");
            // Drivers that do not know the NVRAM flags (the test driver) undefine without them.
            if (e.Code is LibvirtErrorCode.InvalidArg or LibvirtErrorCode.NoSupport
                && Libvirt.virDomainUndefineFlags(h, Libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | Libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA) == 0)
            {
                return;
            }
            throw e;
        }
    }

    public static void Start(DomainHandle h) => LibvirtException.Check(Libvirt.virDomainCreate(h), "virDomainCreate");
    public static void Shutdown(DomainHandle h) => LibvirtException.Check(Libvirt.virDomainShutdown(h), "virDomainShutdown");
    public static void Destroy(DomainHandle h) => LibvirtException.Check(Libvirt.virDomainDestroy(h), "virDomainDestroy");
    public static void Reboot(DomainHandle h) => LibvirtException.Check(Libvirt.virDomainReboot(h, 0), "virDomainReboot");
    public static void Reset(DomainHandle h) => LibvirtException.Check(Libvirt.virDomainReset(h, 0), "virDomainReset");
    public static void Suspend(DomainHandle h) => LibvirtException.Check(Libvirt.virDomainSuspend(h), "virDomainSuspend");
    public static void Resume(DomainHandle h) => LibvirtException.Check(Libvirt.virDomainResume(h), "virDomainResume");

    public static void SetAutostart(DomainHandle h, bool on) =>
        LibvirtException.Check(Libvirt.virDomainSetAutostart(h, on ? 1 : 0), "virDomainSetAutostart");

    public static bool IsActive(DomainHandle h)
    {
        int r = Libvirt.virDomainIsActive(h);
        return r < 0 ? throw LibvirtException.FromLastError("virDomainIsActive") : r == 1;
    }

    public static bool IsPersistent(DomainHandle h)
    {
        int r = Libvirt.virDomainIsPersistent(h);
        return r < 0 ? throw LibvirtException.FromLastError("virDomainIsPersistent") : r == 1;
    }

    /// <summary>Sets memory in KiB; flags as virDomainSetMemoryFlags (live/config/maximum).</summary>
    public static void SetMemory(DomainHandle h, ulong kib, bool live, bool config, bool maximum)
    {
        uint flags = (live ? Libvirt.VIR_DOMAIN_AFFECT_LIVE : 0) | (config ? Libvirt.VIR_DOMAIN_AFFECT_CONFIG : 0)
            | (maximum ? Libvirt.VIR_DOMAIN_MEM_MAXIMUM : 0);
        LibvirtException.Check(Libvirt.virDomainSetMemoryFlags(h, kib, flags), "virDomainSetMemoryFlags");
    }

    public static void SetVcpus(DomainHandle h, int count, bool live, bool config, bool maximum)
    {
        uint flags = (live ? Libvirt.VIR_DOMAIN_AFFECT_LIVE : 0) | (config ? Libvirt.VIR_DOMAIN_AFFECT_CONFIG : 0)
            | (maximum ? Libvirt.VIR_DOMAIN_VCPU_MAXIMUM : 0);
        LibvirtException.Check(Libvirt.virDomainSetVcpusFlags(h, (uint)count, flags), "virDomainSetVcpusFlags");
    }

    /// <summary>The most vCPUs the host allows a domain of this type, or null when it cannot tell.</summary>
    public static int? MaxVcpus(LibvirtConnection conn, string domainType)
    {
        int n = Libvirt.virConnectGetMaxVcpus(conn.Handle, string.IsNullOrEmpty(domainType) ? null : domainType);
        if (n < 0)
        {
            Libvirt.virResetLastError();
            return null;
        }
        return n;
    }

    public static int GetVcpus(DomainHandle h, bool config, bool maximum)
    {
        uint flags = (config ? Libvirt.VIR_DOMAIN_AFFECT_CONFIG : Libvirt.VIR_DOMAIN_AFFECT_LIVE)
            | (maximum ? Libvirt.VIR_DOMAIN_VCPU_MAXIMUM : 0);
        int n = Libvirt.virDomainGetVcpusFlags(h, flags);
        return n < 0 ? throw LibvirtException.FromLastError("virDomainGetVcpusFlags") : n;
    }

    /// <summary>
    /// Sets the description after checking that the definition holding it still fits libvirt's
    /// remote protocol: a description that fits as an argument but makes the domain XML larger
    /// than one string can carry would leave a VM that no longer reads back.
    /// </summary>
    public static void SetDescription(LibvirtConnection conn, DomainHandle h, string? text, bool live, bool config)
    {
        if (PayloadLimit.IsRemoteProtocol(conn.Uri) && text is { Length: > PayloadLimit.StringMaxBytes / 8 })
        {
            string whole = LibvirtConnection.GetXml(h) + System.Security.SecurityElement.Escape(text);
            PayloadLimit.Check("The description with the rest of the VM's definition", whole, conn);
        }
        SetDescription(h, text, live, config);
    }

    public static void SetDescription(DomainHandle h, string? text, bool live, bool config)
    {
        uint flags = (live ? Libvirt.VIR_DOMAIN_AFFECT_LIVE : 0) | (config ? Libvirt.VIR_DOMAIN_AFFECT_CONFIG : 0);
        LibvirtException.Check(Libvirt.virDomainSetMetadata(h, Libvirt.VIR_DOMAIN_METADATA_DESCRIPTION, text ?? "", null, null, flags), "virDomainSetMetadata");
    }

    /// <summary>The persistent (inactive) definition, as virsh dumpxml --inactive gives it.</summary>
    public static string GetInactiveXml(DomainHandle h) => LibvirtConnection.GetXml(h, Libvirt.VIR_DOMAIN_XML_INACTIVE);

    /// <summary>
    /// The definition to change and define again: read with libvirt's secure flag, so secrets it
    /// only shows then (graphics passwords) survive the redefine. Never show this text to the user.
    /// </summary>
    public static string GetXmlForEdit(DomainHandle h, bool inactive) =>
        LibvirtConnection.GetXml(h, Libvirt.VIR_DOMAIN_XML_SECURE | (inactive ? Libvirt.VIR_DOMAIN_XML_INACTIVE : 0));

    /// <summary>
    /// The definition as Export-KvmVM gives it: the persistent one (the live one of a transient VM),
    /// with graphics passwords only when <paramref name="includeSecrets"/> is set.
    /// </summary>
    public static string GetXmlForExport(DomainHandle h, bool includeSecrets)
    {
        uint flags = (IsPersistent(h) ? Libvirt.VIR_DOMAIN_XML_INACTIVE : 0) | (includeSecrets ? Libvirt.VIR_DOMAIN_XML_SECURE : 0);
        return LibvirtConnection.GetXml(h, flags);
    }
}

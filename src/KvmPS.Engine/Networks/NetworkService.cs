using System.Runtime.InteropServices;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Engine.Networks;

/// <summary>Network operations over an open connection. Every failing call throws LibvirtException.</summary>
public static class NetworkService
{
    /// <summary>One network as read: its handle-free facts and both its live and config definitions.</summary>
    public sealed record Snapshot(NetworkDefinition Live, NetworkDefinition? Config, bool Active, bool Autostart, bool Persistent)
    {
        /// <summary>The definition that counts for comparisons: the config of a persistent network (when read), else the live one.</summary>
        public NetworkDefinition Defined => Config ?? Live;

        public KvmNetwork ToObject(string uri) => NetworkXml.ToObject(Live, Active, Autostart, Persistent, uri);
    }

    /// <summary>
    /// Reads every network in bulk: one listing for all, one each for the active, persistent and
    /// autostart sets (so a remote host costs four round trips plus the XML of each network).
    /// </summary>
    public static List<Snapshot> ListAll(LibvirtConnection conn, Func<string, bool>? nameFilter = null, bool withConfig = false)
    {
        var active = Names(conn, Libvirt.VIR_CONNECT_LIST_NETWORKS_ACTIVE);
        var persistent = Names(conn, Libvirt.VIR_CONNECT_LIST_NETWORKS_PERSISTENT);
        var autostart = Names(conn, Libvirt.VIR_CONNECT_LIST_NETWORKS_AUTOSTART);
        // A network removed (or a transient one stopped) between the listing and its read is skipped.
        return Listing.ReadEach(conn.ListAllNetworks(), h =>
        {
            string name = LibvirtConnection.GetName(h);
            if (nameFilter is not null && !nameFilter(name))
            {
                return null;
            }
            bool isActive = active.Contains(name), isPersistent = persistent.Contains(name);
            NetworkDefinition live = NetworkXml.Parse(GetXml(h));
            NetworkDefinition? config = !withConfig || !isPersistent ? null
                : isActive ? NetworkXml.Parse(GetXml(h, inactive: true)) : live;
            return new Snapshot(live, config, isActive, autostart.Contains(name), isPersistent);
        });
    }

    /// <summary>Reads one network through its handle.</summary>
    public static Snapshot Read(NetworkHandle h)
    {
        bool active = IsActive(h), persistent = IsPersistent(h);
        NetworkDefinition live = NetworkXml.Parse(GetXml(h));
        NetworkDefinition? config = persistent ? (active ? NetworkXml.Parse(GetXml(h, inactive: true)) : live) : null;
        return new Snapshot(live, config, active, GetAutostart(h), persistent);
    }

    /// <summary>The network if it exists, else null (other failures still throw).</summary>
    public static NetworkHandle? TryLookup(LibvirtConnection conn, string name)
    {
        try
        {
            return conn.LookupNetwork(name);
        }
        catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoNetwork)
        {
            return null;
        }
    }

    /// <summary>
    /// The network an object read earlier names: by its UUID when it has one (so a network removed
    /// and made again under the same name is not taken for it), else by its exact name; null when gone.
    /// </summary>
    public static NetworkHandle? TryLookup(LibvirtConnection conn, string name, Guid uuid)
    {
        if (uuid == Guid.Empty)
        {
            return TryLookup(conn, name);
        }
        try
        {
            return conn.LookupNetwork(uuid);
        }
        catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoNetwork)
        {
            return null;
        }
    }

    /// <summary>The names of the networks (flags as in virConnectListAllNetworks: all by default).</summary>
    public static HashSet<string> Names(LibvirtConnection conn, uint flags = 0)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (NetworkHandle h in conn.ListAllNetworks(flags))
        {
            using (h)
            {
                names.Add(LibvirtConnection.GetName(h));
            }
        }
        return names;
    }

    public static string GetXml(NetworkHandle h, bool inactive = false)
    {
        string? xml = Libvirt.TakeString(Libvirt.virNetworkGetXMLDesc(h, inactive ? Libvirt.VIR_NETWORK_XML_INACTIVE : 0));
        if (xml is not null)
        {
            return xml;
        }
        var e = LibvirtException.FromLastError("virNetworkGetXMLDesc");
        // The test driver keeps no separate config of a running network and refuses the flag:
        // there the live definition is the config.
        if (inactive && e.Code is LibvirtErrorCode.InvalidArg or LibvirtErrorCode.NoSupport)
        {
            return GetXml(h);
        }
        throw e;
    }

    public static bool IsActive(NetworkHandle h) => LibvirtException.Check(Libvirt.virNetworkIsActive(h), "virNetworkIsActive") == 1;

    public static bool IsPersistent(NetworkHandle h) => LibvirtException.Check(Libvirt.virNetworkIsPersistent(h), "virNetworkIsPersistent") == 1;

    public static bool GetAutostart(NetworkHandle h)
    {
        LibvirtException.Check(Libvirt.virNetworkGetAutostart(h, out int auto), "virNetworkGetAutostart");
        return auto == 1;
    }

    public static void SetAutostart(NetworkHandle h, bool on) => LibvirtException.Check(Libvirt.virNetworkSetAutostart(h, on ? 1 : 0), "virNetworkSetAutostart");

    public static void Start(NetworkHandle h) => LibvirtException.Check(Libvirt.virNetworkCreate(h), "virNetworkCreate");

    public static void Stop(NetworkHandle h) => LibvirtException.Check(Libvirt.virNetworkDestroy(h), "virNetworkDestroy");

    public static void Undefine(NetworkHandle h) => LibvirtException.Check(Libvirt.virNetworkUndefine(h), "virNetworkUndefine");

    /// <summary>Defines a persistent network. Where libvirt offers it (7.7+), it also checks the XML against its schema.</summary>
    public static NetworkHandle Define(LibvirtConnection conn, string xml)
    {
        PayloadLimit.Check("The network XML", xml, conn);
        IntPtr p;
        string fn;
        if (LibvirtLibrary.HasExport("virNetworkDefineXMLFlags"))
        {
            fn = "virNetworkDefineXMLFlags";
            p = Libvirt.virNetworkDefineXMLFlags(conn.Handle, xml, Libvirt.VIR_NETWORK_DEFINE_VALIDATE);
            if (p == IntPtr.Zero)
            {
                var e = LibvirtException.FromLastError(fn);
                // A driver or daemon older than the flag: define without schema validation.
                if (e.Kind != KvmErrorKind.NotSupported)
                {
                    throw e;
                }
                fn = "virNetworkDefineXML";
                p = Libvirt.virNetworkDefineXML(conn.Handle, xml);
            }
        }
        else
        {
            fn = "virNetworkDefineXML";
            p = Libvirt.virNetworkDefineXML(conn.Handle, xml);
        }
        return p == IntPtr.Zero ? throw LibvirtException.FromLastError(fn) : new NetworkHandle(p);
    }

    /// <summary>Adds or deletes a static DHCP host, in the running network and/or its config.</summary>
    public static void UpdateDhcpHost(NetworkHandle h, bool add, NetworkHost host, int parentIndex, bool live, bool config)
    {
        uint flags = (live ? Libvirt.VIR_NETWORK_UPDATE_AFFECT_LIVE : 0) | (config ? Libvirt.VIR_NETWORK_UPDATE_AFFECT_CONFIG : 0);
        string xml = NetworkXml.BuildHost(host).ToString(System.Xml.Linq.SaveOptions.DisableFormatting);
        LibvirtException.Check(Libvirt.virNetworkUpdate(h,
            add ? Libvirt.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST : Libvirt.VIR_NETWORK_UPDATE_COMMAND_DELETE,
            Libvirt.VIR_NETWORK_SECTION_IP_DHCP_HOST, parentIndex, xml, flags), "virNetworkUpdate");
    }

    /// <summary>Whether the loaded libvirt has virNetworkGetDHCPLeases (1.2.6 and later).</summary>
    public static bool LeasesSupported => LibvirtLibrary.HasExport("virNetworkGetDHCPLeases");

    /// <summary>The DHCP leases of a network, optionally of one MAC only.</summary>
    public static unsafe List<KvmNetworkLease> GetLeases(NetworkHandle h, string networkName, string? mac, string uri)
    {
        if (!LeasesSupported)
        {
            throw new LibvirtException("virNetworkGetDHCPLeases", LibvirtErrorCode.NoSupport, 0,
                "this libvirt library has no virNetworkGetDHCPLeases (added in libvirt 1.2.6)");
        }
        Libvirt.VirNetworkDHCPLease** leases;
        int n = Libvirt.virNetworkGetDHCPLeases(h, mac, &leases, 0);
        if (n < 0)
        {
            throw LibvirtException.FromLastError("virNetworkGetDHCPLeases");
        }
        var list = new List<KvmNetworkLease>(n);
        try
        {
            for (int i = 0; i < n; i++)
            {
                Libvirt.VirNetworkDHCPLease* l = leases[i];
                list.Add(new KvmNetworkLease
                {
                    Network = networkName,
                    Interface = Str(l->Iface),
                    // 0 means the lease never expires (dnsmasq's "infinite").
                    ExpiryTime = l->ExpiryTime > 0 ? DateTimeOffset.FromUnixTimeSeconds(l->ExpiryTime).LocalDateTime : null,
                    Type = l->Type == Libvirt.VIR_IP_ADDR_TYPE_IPV6 ? "IPv6" : "IPv4",
                    MacAddress = Str(l->Mac)?.ToLowerInvariant(),
                    Iaid = Str(l->Iaid),
                    IPAddress = Str(l->IpAddr) ?? "",
                    Prefix = (int)l->Prefix,
                    HostName = Str(l->Hostname),
                    ClientId = Str(l->ClientId),
                    Uri = uri,
                });
            }
        }
        finally
        {
            for (int i = 0; i < n; i++)
            {
                Libvirt.virNetworkDHCPLeaseFree(leases[i]);
            }
            NativeMemory.Free(leases);
        }
        return list;
    }

    private static string? Str(IntPtr p) => p == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(p);

    /// <summary>
    /// Running VMs with an interface on the network: stopping or removing it cuts them off. The
    /// VMs that are only defined with it are returned apart (they fail to start without it).
    /// </summary>
    public static (List<string> Running, List<string> Defined) VMsUsing(LibvirtConnection conn, string network)
    {
        var running = new List<string>();
        var defined = new List<string>();
        foreach (KvmVM vm in DomainService.ListAll(conn))
        {
            if (!vm.NetworkAdapters.Any(n => n.Type == "network" && n.Source == network))
            {
                continue;
            }
            (vm.State is KvmVMState.ShutOff or KvmVMState.Crashed ? defined : running).Add(vm.Name);
        }
        return (running, defined);
    }
}

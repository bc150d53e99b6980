using System.Management.Automation;
using System.Xml.Linq;
using KvmPS.Engine;
using KvmPS.Engine.HostChecks;
using KvmPS.Engine.Native;
using KvmPS.Engine.Networks;

namespace KvmPS.Commands;

/// <summary>
/// Defines a libvirt network — NAT (the default), routed, isolated, open, or attached to an
/// existing host bridge — after checking it against the host's other networks and routes.
/// Re-running the same request on the network it made changes nothing, so runbooks converge.
/// </summary>
[Cmdlet(VerbsCommon.New, "KvmNetwork", SupportsShouldProcess = true)]
[OutputType(typeof(KvmNetwork))]
public sealed class NewKvmNetworkCommand : KvmCmdlet
{
    /// <summary>Name of the network.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>Nat (default), Route, Isolated, Bridge (an existing host bridge) or Open.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Nat", "Route", "Isolated", "Bridge", "Open", IgnoreCase = true)]
    // Other (which -Mode refuses) stands for "not given": BoundParameters keeps a key bound from
    // an earlier pipeline object, while the value itself is reset before each object.
    public KvmNetworkMode Mode { get; set; } = KvmNetworkMode.Other;

    /// <summary>Subnet(s) in CIDR form: at most one IPv4 and one IPv6. Nat/Route/Open without it get the first free 192.168.x.0/24.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? Subnet { get; set; }

    /// <summary>First DHCP address (one per address family); default: the address after the gateway.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? DhcpStart { get; set; }

    /// <summary>Last DHCP address (one per address family); default: the last usable address of the subnet.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? DhcpEnd { get; set; }

    /// <summary>No DHCP server on the network: guests get static addresses.</summary>
    [Parameter]
    public SwitchParameter NoDhcp { get; set; }

    /// <summary>Name of the bridge libvirt creates (default: libvirt picks virbrN).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? BridgeName { get; set; }

    /// <summary>Bridge mode: the existing host bridge guests join (e.g. br0). Implies -Mode Bridge.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? HostBridge { get; set; }

    /// <summary>DNS domain of the network; guests resolve as name.domain on the network's DNS server.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? DnsDomain { get; set; }

    /// <summary>Start the network with the libvirt daemon.</summary>
    [Parameter]
    public SwitchParameter Autostart { get; set; }

    /// <summary>Start the network now.</summary>
    [Parameter]
    public SwitchParameter Start { get; set; }

    /// <summary>Returns the network.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override string FailureErrorId => "NewKvmNetworkFailed";

    protected override object? ErrorTarget => Name;

    protected override void ProcessRecordCore()
    {
        var request = new NetworkRequest
        {
            Name = Name,
            Mode = Mode == KvmNetworkMode.Other ? null : Mode,
            // Objects piped by property name carry nulls for what they lack: null means not given.
            Subnets = Given(Subnet),
            DhcpStarts = Given(DhcpStart),
            DhcpEnds = Given(DhcpEnd),
            NoDhcp = NoDhcp,
            BridgeName = string.IsNullOrEmpty(BridgeName) ? null : BridgeName,
            HostBridge = string.IsNullOrEmpty(HostBridge) ? null : HostBridge,
            DnsDomain = string.IsNullOrEmpty(DnsDomain) ? null : DnsDomain,
        };
        try
        {
            // Every value is checked before the host is even asked.
            NetworkPlanner.Plan plan = NetworkPlanner.Validate(request);
            LibvirtConnection conn = GetConnection();
            using NetworkHandle? existing = NetworkService.TryLookup(conn, Name);
            if (existing is not null)
            {
                Converge(conn, existing, plan);
                return;
            }
            Create(conn, plan);
        }
        catch (NetworkPlanException e)
        {
            WriteError(NetworkNames.PlanError(e, Name));
        }
    }

    private void Create(LibvirtConnection conn, NetworkPlanner.Plan plan)
    {
        var others = NetworkService.ListAll(conn, withConfig: true).Select(s => new ExistingNetwork(
            s.Live.Name,
            s.Live.BridgeName ?? s.Config?.BridgeName,
            s.Live.Subnets.Concat(s.Config?.Subnets ?? Enumerable.Empty<IpSubnet>()).Distinct().ToList())).ToList();

        IReadOnlyList<HostRoute> routes = Array.Empty<HostRoute>();
        var view = new DaemonHostView(HostFileSystem.FromEnvironment());
        bool local = NetworkNames.IsLocalDaemon(conn);
        if (local)
        {
            (routes, string source) = view.ReadRoutes();
            WriteVerbose($"Checking against {routes.Count} host route(s) of {source}.");
        }
        else
        {
            WriteVerbose($"'{conn.Uri}' is not a local daemon: only its libvirt networks are checked for overlaps, not its routes.");
        }

        IpSubnet? picked = null;
        if (plan.NeedsSubnet)
        {
            picked = NetworkPlanner.PickFreeSubnet(others.SelectMany(o => o.Subnets).Concat(routes.Select(r => r.Destination)))
                ?? throw new NetworkPlanException("NoFreeSubnet", KvmErrorKind.InvalidOperation,
                    "No free subnet between 192.168.122.0/24 and 192.168.254.0/24: give one with -Subnet.");
            WriteVerbose($"No -Subnet given: using {picked}, the first free 192.168.x.0/24.");
        }
        NetworkDefinition def = NetworkPlanner.Build(plan, picked);
        NetworkPlanner.CheckConflicts(def, others, routes);

        if (def.Mode == KvmNetworkMode.Bridge && local && view.FindInterface(def.BridgeName!) is var (exists, isBridge))
        {
            if (!exists)
            {
                WriteWarning($"Host bridge '{def.BridgeName}' does not exist on the host (as the libvirt daemon sees it). Guests on network '{Name}' cannot start until it does.");
            }
            else if (!isBridge)
            {
                WriteWarning($"Host interface '{def.BridgeName}' is not a bridge. Guests on network '{Name}' cannot start until it is one.");
            }
        }

        string xml = NetworkXml.Build(def).ToString(SaveOptions.None);
        WriteDebug(xml);
        if (!ShouldProcess(Name, $"Define {Describe(def)}"))
        {
            return;
        }
        using NetworkHandle h = NetworkService.Define(conn, xml);
        WriteVerbose($"Defined network '{Name}': {Describe(def)}.");
        try
        {
            if (Autostart)
            {
                NetworkService.SetAutostart(h, true);
            }
            if (Start)
            {
                NetworkService.Start(h);
                WriteVerbose($"Started network '{Name}'.");
            }
        }
        catch (LibvirtException e) when (conn.IsAlive)
        {
            // Half-made is worse than not made: take the definition back, then report.
            try
            {
                NetworkService.Undefine(h);
            }
            catch (LibvirtException undo)
            {
                WriteWarning($"Network '{Name}' could not be removed again after the failure: {undo.LibvirtMessage}");
            }
            WriteError(ErrorHelper.Libvirt(e, "NetworkStartFailed", Name,
                $"Network '{Name}' was defined but could not be {(Start ? "started" : "set to autostart")}, so its definition was removed again"));
            return;
        }
        if (PassThru)
        {
            WriteObject(NetworkService.Read(h).ToObject(conn.Uri));
        }
    }

    /// <summary>A network of that name exists: the same one is fine (state converges), a different one is refused.</summary>
    private void Converge(LibvirtConnection conn, NetworkHandle h, NetworkPlanner.Plan plan)
    {
        NetworkService.Snapshot snap = NetworkService.Read(h);
        NetworkDefinition have = snap.Defined;
        // Without -Subnet the request means "any free subnet": the one the network has is the one it would have got.
        IpSubnet? adopt = plan.NeedsSubnet ? have.IPv4?.Subnet : null;
        NetworkDefinition want = NetworkPlanner.Build(plan, adopt);
        IReadOnlyList<string> diffs = NetworkPlanner.Differences(want, have, compareBridgeName: plan.BridgeName is not null);
        if (diffs.Count > 0)
        {
            throw new NetworkPlanException("NetworkExists", KvmErrorKind.AlreadyExists,
                $"A different network named '{Name}' exists: {string.Join("; ", diffs)}. Choose another name, or remove it first with Remove-KvmNetwork.");
        }
        WriteVerbose($"Network '{Name}' already exists as requested ({Describe(have)}); nothing to define.");
        if (Autostart && !snap.Autostart && ShouldProcess(Name, "Set autostart on"))
        {
            NetworkService.SetAutostart(h, true);
        }
        if (Start && !snap.Active && ShouldProcess(Name, "Start network"))
        {
            NetworkService.Start(h);
            WriteVerbose($"Started network '{Name}'.");
        }
        if (PassThru)
        {
            WriteObject(NetworkService.Read(h).ToObject(conn.Uri));
        }
    }

    private static string[] Given(string[]? values) => values?.Where(v => !string.IsNullOrWhiteSpace(v)).ToArray() ?? Array.Empty<string>();

    private static string Describe(NetworkDefinition def)
    {
        if (def.Mode == KvmNetworkMode.Bridge)
        {
            return $"Bridge network on host bridge {def.BridgeName}";
        }
        var parts = def.Ips.Select(ip => ip.DhcpStart is null
            ? $"{ip.Subnet} (gateway {ip.GatewayText}, no DHCP)"
            : $"{ip.Subnet} (gateway {ip.GatewayText}, DHCP {ip.DhcpStartText}-{ip.DhcpEndText})").ToList();
        return $"{def.Mode} network" + (parts.Count > 0 ? " " + string.Join(", ", parts) : " without addresses");
    }
}

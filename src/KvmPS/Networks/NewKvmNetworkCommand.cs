using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.HostChecks;
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
    /// <summary>
    /// Objects piped in: their properties (Name, ...) bind by name, and an object of another kind
    /// (a VM, a volume) is refused instead of giving the new network its name.
    /// </summary>
    [Parameter(ValueFromPipeline = true, DontShow = true)]
    [KvmKind(typeof(KvmNetwork))]
    public object? InputObject { get; set; }

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string Name { get; set; } = "";

    /// <summary>Nat (default), Route, Isolated, Bridge (an existing host bridge) or Open.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Nat", "Route", "Isolated", "Bridge", "Open", IgnoreCase = true)]
    // Other (which -Mode refuses) stands for "not given": BoundParameters keeps a key bound from
    // an earlier pipeline object, while the value itself is reset before each object.
    public KvmNetworkMode Mode { get; set; } = KvmNetworkMode.Other;

    /// <summary>Subnet(s) in CIDR form: at most one IPv4 and one IPv6. Nat/Route/Open without it get the first free 192.168.x.0/24.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string[]? Subnet { get; set; }

    /// <summary>First DHCP address (one per address family); default: the address after the gateway.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string[]? DhcpStart { get; set; }

    /// <summary>Last DHCP address (one per address family); default: the last usable address of the subnet.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string[]? DhcpEnd { get; set; }

    /// <summary>No DHCP server on the network: guests get static addresses.</summary>
    [Parameter]
    public SwitchParameter NoDhcp { get; set; }

    /// <summary>Name of the bridge libvirt creates (default: libvirt picks virbrN).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? BridgeName { get; set; }

    /// <summary>Bridge mode: the existing host bridge guests join (e.g. br0). Implies -Mode Bridge.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(BridgeCompleter))]
    public string? HostBridge { get; set; }

    /// <summary>DNS domain of the network; guests resolve as name.domain on the network's DNS server.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? DnsDomain { get; set; }

    /// <summary>Start the network with the libvirt daemon.</summary>
    [Parameter]
    public SwitchParameter Autostart { get; set; }

    /// <summary>Start the network now.</summary>
    [Parameter]
    public SwitchParameter Start { get; set; }

    /// <summary>Accepted for compatibility and not needed: New-KvmNetwork always returns the network.</summary>
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
            NetworkPlanner.Plan valid = NetworkPlanner.Validate(request);
            LibvirtConnection conn = GetConnection();
            var provisioner = new NetworkProvisioner(HostFileSystem.FromEnvironment());
            using NetworkProvision plan = provisioner.Plan(conn, valid, Autostart, Start, WriteVerbose, WriteWarning);
            if (!plan.Exists)
            {
                WriteDebug(plan.Xml);
            }
            if (NetworkProvisioner.Apply(conn, plan, action => ShouldProcess(Name, action), WriteVerbose, WriteWarning))
            {
                WriteObject(NetworkService.Read(plan.Handle!).ToObject(conn.Uri));
            }
        }
        catch (NetworkPlanException e)
        {
            WriteError(NetworkNames.PlanError(e, Name));
        }
        catch (NetworkStartException e)
        {
            WriteError(ErrorHelper.Libvirt(e.Cause, "NetworkStartFailed", Name, e.Message));
        }
    }

    private static string[] Given(string[]? values) => values?.Where(v => !string.IsNullOrWhiteSpace(v)).ToArray() ?? Array.Empty<string>();
}

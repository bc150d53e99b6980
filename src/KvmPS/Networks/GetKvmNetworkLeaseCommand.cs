using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Native;
using KvmPS.Engine.Networks;

namespace KvmPS.Commands;

/// <summary>Lists the DHCP leases libvirt's DHCP server has handed out on networks.</summary>
[Cmdlet(VerbsCommon.Get, "KvmNetworkLease", DefaultParameterSetName = "Name")]
[OutputType(typeof(KvmNetworkLease))]
public sealed class GetKvmNetworkLeaseCommand : KvmCmdlet
{
    /// <summary>Names of the networks; wildcards allowed. All networks when omitted.</summary>
    [Parameter(Position = 0, ParameterSetName = "Name", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Network", "NetworkName")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Networks from Get-KvmNetwork: each names exactly that network (by UUID) on the host it came from.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "InputObject", ValueFromPipeline = true)]
    [KvmKind(typeof(KvmNetwork))]
    public KvmNetwork[] InputObject { get; set; } = Array.Empty<KvmNetwork>();

    /// <summary>Only the leases of this MAC address (52:54:00:aa:bb:cc, 52-54-00-aa-bb-cc or 525400aabbcc).</summary>
    [Parameter]
    [MacAddressArgument]
    [ArgumentCompleter(typeof(NetworkMacAddressCompleter))]
    public string? MacAddress { get; set; }

    private string? _current;
    private readonly HashSet<string> _unsupported = new(StringComparer.Ordinal);

    protected override object? ErrorTarget => _current ?? (object?)EffectiveUri;

    protected override void ProcessRecordCore()
    {
        string? mac = null;
        if (!string.IsNullOrEmpty(MacAddress))
        {
            try
            {
                mac = ReservationPlanner.NormalizeMac(MacAddress);
            }
            catch (NetworkPlanException e)
            {
                WriteError(NetworkNames.PlanError(e, MacAddress));
                return;
            }
        }
        var targets = NetworkNames.Targets(GetConnection, ParameterSetName == "InputObject" ? InputObject : null, Name is { Length: > 0 } ? Name : new[] { "*" });
        foreach (var (conn, name, matched, net) in targets)
        {
            if (_unsupported.Contains(conn.Uri))
            {
                continue;
            }
            _current = name;
            try
            {
                using NetworkHandle? h = net is null ? NetworkNames.Lookup(conn, name, matched, WriteError) : NetworkNames.Lookup(conn, net, WriteError);
                if (h is not null)
                {
                    WriteObject(NetworkService.GetLeases(h, name, mac, conn.Uri), enumerateCollection: true);
                }
            }
            catch (LibvirtException e) when (e.Kind == KvmErrorKind.NotSupported && conn.IsAlive)
            {
                // Said once per host: the next networks of the same host would only repeat it.
                _unsupported.Add(conn.Uri);
                WriteError(ErrorHelper.Libvirt(e, "LeasesNotSupported", name, $"'{conn.Uri}' cannot report DHCP leases"));
                return;
            }
            catch (LibvirtException e) when (conn.IsAlive)
            {
                // One network's failure names that network and leaves the others to run.
                WriteError(ErrorHelper.Libvirt(e, FailureErrorId, name));
            }
            finally
            {
                _current = null;
            }
        }
    }
}

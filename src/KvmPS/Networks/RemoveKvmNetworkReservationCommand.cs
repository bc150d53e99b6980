using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Native;
using KvmPS.Engine.Networks;

namespace KvmPS.Commands;

/// <summary>Removes a MAC's static DHCP host (reservation) from networks, live and in the configuration.</summary>
[Cmdlet(VerbsCommon.Remove, "KvmNetworkReservation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveKvmNetworkReservationCommand : KvmNetworkCmdlet
{
    /// <summary>The MAC address whose reservation is removed.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [MacAddressArgument]
    [ArgumentCompleter(typeof(NetworkMacAddressCompleter))]
    public string MacAddress { get; set; } = "";

    protected override string FailureErrorId => "RemoveReservationFailed";

    protected override void ProcessNetwork(LibvirtConnection conn, NetworkHandle h, string name)
    {
        string mac = ReservationPlanner.NormalizeMac(MacAddress);
        var sides = ReservationSides.Read(h);
        NetworkHost? inLive = sides.Live?.IPv4?.Hosts.FirstOrDefault(x => x.Mac == mac);
        NetworkHost? inConfig = sides.Config?.IPv4?.Hosts.FirstOrDefault(x => x.Mac == mac);
        NetworkHost? host = inLive ?? inConfig;
        if (host is null)
        {
            WriteError(ErrorHelper.Create(new ItemNotFoundException($"Network '{name}' has no reservation for MAC {mac}."),
                "ReservationNotFound", ErrorCategory.ObjectNotFound, mac));
            return;
        }
        if (!ShouldProcess(name, $"Remove the reservation of {host.Ip} for {mac}"))
        {
            return;
        }
        int parent = sides.IndexOf(sides.Current.IPv4!);
        if (inLive is not null && inLive == inConfig)
        {
            NetworkService.UpdateDhcpHost(h, add: false, inLive, parent, live: true, config: true);
        }
        else
        {
            // The running network and its config disagree about this MAC: each loses its own entry.
            if (inLive is not null)
            {
                NetworkService.UpdateDhcpHost(h, add: false, inLive, parent, live: true, config: false);
            }
            if (inConfig is not null)
            {
                NetworkService.UpdateDhcpHost(h, add: false, inConfig, parent, live: false, config: true);
            }
        }
        WriteVerbose($"Removed the reservation of {host.Ip} for {mac} from network '{name}'.");
    }
}

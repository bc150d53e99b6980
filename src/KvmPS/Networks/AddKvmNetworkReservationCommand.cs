using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Native;
using KvmPS.Engine.Networks;

namespace KvmPS.Commands;

/// <summary>
/// Reserves an IPv4 address (and optionally a host name) for a MAC on a network's DHCP server,
/// in the running network and in its configuration.
/// </summary>
[Cmdlet(VerbsCommon.Add, "KvmNetworkReservation", SupportsShouldProcess = true)]
[OutputType(typeof(KvmNetworkReservation))]
public sealed class AddKvmNetworkReservationCommand : KvmNetworkCmdlet
{
    /// <summary>The guest's MAC address.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [MacAddressArgument]
    [ArgumentCompleter(typeof(NetworkMacAddressCompleter))]
    public string MacAddress { get; set; } = "";

    /// <summary>The IPv4 address to reserve; default: the address the MAC holds a lease on, else the lowest free one of the DHCP range.</summary>
    [Parameter(Position = 2, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? IPAddress { get; set; }

    /// <summary>The host name the network's DNS server answers for the guest.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? HostName { get; set; }

    /// <summary>Returns the reservation.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override string FailureErrorId => "AddReservationFailed";

    protected override void ProcessNetwork(LibvirtConnection conn, NetworkHandle h, string name)
    {
        string mac = ReservationPlanner.NormalizeMac(MacAddress);
        string? hostName = string.IsNullOrEmpty(HostName) ? null : ReservationPlanner.CheckHostName(HostName);
        var sides = ReservationSides.Read(h);
        NetworkIp v4 = ReservationPlanner.TargetIp(sides.Current);
        string? ip = string.IsNullOrEmpty(IPAddress) ? null : ReservationPlanner.CheckAddress(v4, IPAddress);

        var hosts = sides.All.SelectMany(d => d.IPv4?.Hosts ?? Array.Empty<NetworkHost>()).Distinct().ToList();
        NetworkHost? mine = hosts.FirstOrDefault(x => x.Mac == mac);
        if (mine is not null)
        {
            bool same = (ip is null || ip == mine.Ip) && (hostName is null || string.Equals(hostName, mine.Name, StringComparison.OrdinalIgnoreCase));
            if (!same)
            {
                throw new NetworkPlanException("ReservationExists", KvmErrorKind.AlreadyExists,
                    $"MAC {mac} already has a reservation on network '{name}' ({mine.Ip}{(mine.Name is null ? "" : ", " + mine.Name)}). Remove it first with Remove-KvmNetworkReservation.");
            }
            ip ??= mine.Ip;
            hostName ??= mine.Name;
        }
        foreach (NetworkHost other in hosts.Where(x => x.Mac != mac))
        {
            if (ip is not null && other.Ip == ip)
            {
                throw new NetworkPlanException("AddressReserved", KvmErrorKind.AlreadyExists,
                    $"{ip} is already reserved on network '{name}' for {other.Mac ?? other.Id ?? other.Name}.");
            }
            if (hostName is not null && string.Equals(other.Name, hostName, StringComparison.OrdinalIgnoreCase))
            {
                throw new NetworkPlanException("HostNameReserved", KvmErrorKind.AlreadyExists,
                    $"Host name '{hostName}' is already reserved on network '{name}' for {other.Mac ?? other.Id}.");
            }
        }
        if (ip is null)
        {
            ip = ReservationPlanner.PickAddress(v4, mac, hosts, CurrentLeases(conn, h, name, sides.Active))
                ?? throw new NetworkPlanException("NoFreeAddress", KvmErrorKind.InvalidOperation,
                    $"Network '{name}' has no free address left in {v4.Subnet} to reserve.");
            WriteVerbose($"No -IPAddress given: reserving {ip} for {mac}.");
        }
        var host = new NetworkHost(mac, null, ip, hostName);
        bool live = sides.Active && !Has(sides.Live, host);
        bool config = sides.Persistent && !Has(sides.Config, host);
        if (!live && !config)
        {
            WriteVerbose($"Network '{name}' already reserves {ip} for {mac}; nothing to change.");
        }
        else if (ShouldProcess(name, $"Reserve {ip} for {mac}{(hostName is null ? "" : $" ({hostName})")}"))
        {
            NetworkService.UpdateDhcpHost(h, add: true, host, sides.IndexOf(v4), live, config);
            WriteVerbose($"Reserved {ip} for {mac} on network '{name}'{(live ? " (live" + (config ? " and config)" : ")") : " (config)")}.");
        }
        else
        {
            return;
        }
        if (PassThru)
        {
            WriteObject(new KvmNetworkReservation { Network = name, MacAddress = mac, IPAddress = ip, HostName = hostName, Uri = conn.Uri });
        }
    }

    /// <summary>The network's leases, so a chosen address is not one a guest holds now; none where the driver keeps none.</summary>
    private List<(string?, string)> CurrentLeases(LibvirtConnection conn, NetworkHandle h, string name, bool active)
    {
        if (!active)
        {
            return new();
        }
        try
        {
            return NetworkService.GetLeases(h, name, null, conn.Uri).Select(l => (l.MacAddress, l.IPAddress)).ToList();
        }
        catch (LibvirtException e) when (e.Kind == KvmErrorKind.NotSupported)
        {
            WriteVerbose($"'{conn.Uri}' reports no DHCP leases; choosing among unreserved addresses only.");
            return new();
        }
    }

    private static bool Has(NetworkDefinition? def, NetworkHost host) =>
        def?.IPv4?.Hosts.Any(x => x.Mac == host.Mac && x.Ip == host.Ip && string.Equals(x.Name, host.Name, StringComparison.OrdinalIgnoreCase)) == true;
}

using System.Collections;
using KvmPS.Engine;
using KvmPS.Engine.Host;

namespace KvmPS.Commands;

/// <summary>Completes the MAC addresses that belong with the network named by -Name: its reservations and the adapters attached to it.</summary>
public sealed class NetworkMacAddressCompleter : HostObjectCompleter
{
    private protected override List<string> Names(LibvirtConnection conn, IDictionary fakeBoundParameters)
    {
        string? network = fakeBoundParameters["Name"] switch
        {
            string s => s,
            string[] { Length: 1 } a => a[0],
            _ => null,
        };
        return network is null ? new List<string>() : HostNames.NetworkMacAddresses(conn, network);
    }
}

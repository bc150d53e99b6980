using KvmPS.Engine.Native;

namespace KvmPS.Engine.Networks;

/// <summary>
/// A network's live and config definitions, for virNetworkUpdate: a change goes to the running
/// network and to the config, each only where it is still needed, so that the two never
/// disagree about a reservation and a repeated command is harmless.
/// </summary>
public sealed record ReservationSides(bool Active, bool Persistent, NetworkDefinition? Live, NetworkDefinition? Config)
{
    public static ReservationSides Read(NetworkHandle h)
    {
        NetworkService.Snapshot s = NetworkService.Read(h);
        return new ReservationSides(s.Active, s.Persistent, s.Active ? s.Live : null, s.Config);
    }

    /// <summary>The definition that is in force: the running one, else the config.</summary>
    public NetworkDefinition Current => Live ?? Config!;

    public IEnumerable<NetworkDefinition> All => new[] { Live, Config }.OfType<NetworkDefinition>();

    /// <summary>virNetworkUpdate's parentIndex: the position of the &lt;ip&gt; element among the network's.</summary>
    public int IndexOf(NetworkIp ip)
    {
        for (int i = 0; i < Current.Ips.Count; i++)
        {
            if (Current.Ips[i].Subnet == ip.Subnet)
            {
                return i;
            }
        }
        return -1;
    }
}

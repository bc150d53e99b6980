using KvmPS.Engine.Native;

namespace KvmPS.Engine.Networks;

/// <summary>
/// What <see cref="NetworkProvisioner.Apply"/> will do for a request: define a new network, or
/// converge an existing one of the same name and definition (autostart and start only where they
/// are still off). Holds the existing network's handle, and after Apply the network's handle.
/// </summary>
public sealed class NetworkProvision : IDisposable
{
    internal NetworkProvision(NetworkDefinition definition, bool autostart, bool start, NetworkHandle? existing)
    {
        Definition = definition;
        SetsAutostart = autostart;
        Starts = start;
        Handle = existing;
        Exists = existing is not null;
        Xml = Exists ? null : NetworkXml.Build(definition).ToString(System.Xml.Linq.SaveOptions.None);
    }

    /// <summary>The network's definition: the one to define, or the existing one (which matches the request).</summary>
    public NetworkDefinition Definition { get; }

    public string Name => Definition.Name;

    /// <summary>A network of the name exists as requested: nothing is defined.</summary>
    public bool Exists { get; }

    /// <summary>Autostart gets switched on (requested and not on yet).</summary>
    public bool SetsAutostart { get; }

    /// <summary>The network gets started (requested and not running yet).</summary>
    public bool Starts { get; }

    /// <summary>The document to define (a new network only).</summary>
    public string? Xml { get; }

    /// <summary>The network in words: "Nat network 10.0.0.0/24 (gateway 10.0.0.1, DHCP 10.0.0.2-10.0.0.254)".</summary>
    public string Description => Describe(Definition);

    /// <summary>The existing network, or after Apply the one it defined.</summary>
    public NetworkHandle? Handle { get; internal set; }

    public void Dispose() => Handle?.Dispose();

    internal static string Describe(NetworkDefinition def)
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

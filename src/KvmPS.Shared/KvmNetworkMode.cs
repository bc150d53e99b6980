namespace KvmPS;

/// <summary>How a libvirt network connects its guests to the outside (libvirt's forward mode).</summary>
public enum KvmNetworkMode
{
    /// <summary>A private subnet on a libvirt-made bridge, NATed to the host's uplinks (libvirt's <c>default</c>).</summary>
    Nat,
    /// <summary>A subnet on a libvirt-made bridge, routed (no NAT): the rest of the network needs a route back.</summary>
    Route,
    /// <summary>A libvirt-made bridge with no forwarding: guests reach each other (and the host, if it has an address) only.</summary>
    Isolated,
    /// <summary>Guests join an existing host bridge (e.g. br0); libvirt assigns no addresses.</summary>
    Bridge,
    /// <summary>Like Route, but libvirt adds no firewall rules at all.</summary>
    Open,
    /// <summary>A forward mode KvmPS does not create (macvtap private, vepa, passthrough, hostdev); see ForwardMode.</summary>
    Other,
}

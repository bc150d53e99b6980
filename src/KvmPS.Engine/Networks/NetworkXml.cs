using System.Globalization;
using System.Net;
using System.Xml.Linq;

namespace KvmPS.Engine.Networks;

/// <summary>Writes and reads libvirt network XML (pure: no libvirt call).</summary>
public static class NetworkXml
{
    /// <summary>The &lt;network&gt; document for a planned network. libvirt picks the UUID, MAC and (unless given) the bridge name.</summary>
    public static XElement Build(NetworkDefinition def)
    {
        var net = new XElement("network", new XElement("name", def.Name));
        if (def.Uuid is Guid uuid)
        {
            net.Add(new XElement("uuid", uuid.ToString("D")));
        }
        if (def.Mode != KvmNetworkMode.Isolated)
        {
            net.Add(new XElement("forward", new XAttribute("mode", ForwardModeOf(def))));
        }
        if (def.Mode == KvmNetworkMode.Bridge)
        {
            // An existing host bridge: libvirt neither creates it nor manages STP on it.
            net.Add(new XElement("bridge", new XAttribute("name", def.BridgeName ?? "")));
        }
        else
        {
            var bridge = new XElement("bridge");
            if (!string.IsNullOrEmpty(def.BridgeName))
            {
                bridge.Add(new XAttribute("name", def.BridgeName));
            }
            bridge.Add(new XAttribute("stp", "on"), new XAttribute("delay", "0"));
            net.Add(bridge);
        }
        if (!string.IsNullOrEmpty(def.DnsDomain))
        {
            // localOnly: names in the domain are answered here and never forwarded upstream.
            net.Add(new XElement("domain", new XAttribute("name", def.DnsDomain), new XAttribute("localOnly", "yes")));
        }
        foreach (NetworkIp ip in def.Ips)
        {
            net.Add(BuildIp(ip));
        }
        return net;
    }

    private static XElement BuildIp(NetworkIp ip)
    {
        var el = new XElement("ip");
        if (ip.Subnet.IsIPv6)
        {
            el.Add(new XAttribute("family", "ipv6"));
        }
        el.Add(new XAttribute("address", ip.GatewayText), new XAttribute("prefix", ip.Subnet.PrefixLength.ToString(CultureInfo.InvariantCulture)));
        if (ip.HasDhcp)
        {
            var dhcp = new XElement("dhcp");
            if (ip.DhcpStart is not null)
            {
                dhcp.Add(new XElement("range", new XAttribute("start", ip.DhcpStartText!), new XAttribute("end", ip.DhcpEndText!)));
            }
            foreach (NetworkHost h in ip.Hosts)
            {
                dhcp.Add(BuildHost(h));
            }
            el.Add(dhcp);
        }
        return el;
    }

    /// <summary>A &lt;host&gt; element, as virNetworkUpdate's ip-dhcp-host section takes it.</summary>
    public static XElement BuildHost(NetworkHost h)
    {
        var el = new XElement("host");
        if (h.Mac is not null)
        {
            el.Add(new XAttribute("mac", h.Mac));
        }
        if (h.Id is not null)
        {
            el.Add(new XAttribute("id", h.Id));
        }
        if (h.Name is not null)
        {
            el.Add(new XAttribute("name", h.Name));
        }
        if (h.Ip is not null)
        {
            el.Add(new XAttribute("ip", h.Ip));
        }
        return el;
    }

    private static string ForwardModeOf(NetworkDefinition def) => def.Mode switch
    {
        KvmNetworkMode.Nat => "nat",
        KvmNetworkMode.Route => "route",
        KvmNetworkMode.Open => "open",
        KvmNetworkMode.Bridge => "bridge",
        _ => def.ForwardMode,
    };

    /// <summary>Reads a network document (live or inactive) into a definition.</summary>
    public static NetworkDefinition Parse(string xml)
    {
        XElement n = SafeXml.Parse(xml);
        string forward = (string?)n.Element("forward")?.Attribute("mode") ?? (n.Element("forward") is null ? "" : "nat");
        KvmNetworkMode mode = forward switch
        {
            "" => KvmNetworkMode.Isolated,
            "nat" => KvmNetworkMode.Nat,
            "route" => KvmNetworkMode.Route,
            "open" => KvmNetworkMode.Open,
            // forward mode='bridge' without a bridge name is macvtap onto a physical device.
            "bridge" when (string?)n.Element("bridge")?.Attribute("name") is not null => KvmNetworkMode.Bridge,
            _ => KvmNetworkMode.Other,
        };
        var ips = new List<NetworkIp>();
        foreach (XElement ipEl in n.Elements("ip"))
        {
            NetworkIp? ip = ParseIp(ipEl);
            if (ip is not null)
            {
                ips.Add(ip);
            }
        }
        return new NetworkDefinition
        {
            Name = (string?)n.Element("name") ?? "",
            Uuid = Guid.TryParse((string?)n.Element("uuid"), out Guid g) ? g : null,
            Mode = mode,
            ForwardMode = forward,
            BridgeName = (string?)n.Element("bridge")?.Attribute("name"),
            DnsDomain = (string?)n.Element("domain")?.Attribute("name"),
            Ips = ips,
        };
    }

    private static NetworkIp? ParseIp(XElement el)
    {
        if (!IpSubnet.TryParseAddress((string?)el.Attribute("address"), out IPAddress? address))
        {
            return null;
        }
        int? prefix = int.TryParse((string?)el.Attribute("prefix"), NumberStyles.None, CultureInfo.InvariantCulture, out int p) ? p : null;
        if (prefix is null && IpSubnet.TryParseAddress((string?)el.Attribute("netmask"), out IPAddress? mask))
        {
            prefix = IpSubnet.PrefixFromNetmask(mask);
        }
        // libvirt's own default when neither is given: the classful prefix for IPv4, 64 for IPv6.
        prefix ??= address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 64 : ClassfulPrefix(address);
        var subnet = IpSubnet.FromAddress(address, prefix.Value);
        XElement? dhcp = el.Element("dhcp");
        XElement? range = dhcp?.Element("range");
        UInt128? start = null, end = null;
        if (IpSubnet.TryParseAddress((string?)range?.Attribute("start"), out IPAddress? s)
            && IpSubnet.TryParseAddress((string?)range?.Attribute("end"), out IPAddress? e))
        {
            start = IpSubnet.ToInteger(s);
            end = IpSubnet.ToInteger(e);
        }
        var hosts = (dhcp?.Elements("host") ?? Enumerable.Empty<XElement>())
            .Select(h => new NetworkHost(
                NormalizeMac((string?)h.Attribute("mac")),
                (string?)h.Attribute("id"),
                (string?)h.Attribute("ip"),
                (string?)h.Attribute("name")))
            .ToList();
        return new NetworkIp
        {
            Subnet = subnet,
            Gateway = IpSubnet.ToInteger(address),
            DhcpStart = start,
            DhcpEnd = end,
            Hosts = hosts,
        };
    }

    private static int ClassfulPrefix(IPAddress a)
    {
        byte first = a.GetAddressBytes()[0];
        return first < 128 ? 8 : first < 192 ? 16 : 24;
    }

    private static string? NormalizeMac(string? mac) => mac?.Trim().ToLowerInvariant();

    /// <summary>The public object for a network.</summary>
    public static KvmNetwork ToObject(NetworkDefinition def, bool active, bool autostart, bool persistent, string uri)
    {
        NetworkIp? v4 = def.IPv4, v6 = def.IPv6;
        return new KvmNetwork
        {
            Name = def.Name,
            Uuid = def.Uuid ?? Guid.Empty,
            Mode = def.Mode,
            ForwardMode = def.ForwardMode,
            BridgeName = def.BridgeName,
            HostBridge = def.Mode == KvmNetworkMode.Bridge ? def.BridgeName : null,
            Subnet = v4?.Subnet.ToString(),
            Gateway = v4?.GatewayText,
            DhcpStart = v4?.DhcpStartText,
            DhcpEnd = v4?.DhcpEndText,
            Subnet6 = v6?.Subnet.ToString(),
            Gateway6 = v6?.GatewayText,
            DhcpStart6 = v6?.DhcpStartText,
            DhcpEnd6 = v6?.DhcpEndText,
            DnsDomain = def.DnsDomain,
            IsActive = active,
            Autostart = autostart,
            Persistent = persistent,
            Reservations = def.Ips.SelectMany(ip => ip.Hosts).Select(h => new KvmNetworkReservation
            {
                Network = def.Name,
                MacAddress = h.Mac,
                ClientId = h.Id,
                IPAddress = h.Ip,
                HostName = h.Name,
                Uri = uri,
            }).ToArray(),
            Uri = uri,
        };
    }
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace KvmPS.Engine.Networks;

/// <summary>
/// Checks and completes a static DHCP host (reservation) before it goes to virNetworkUpdate:
/// libvirt itself accepts an address outside the subnet, which dnsmasq then never hands out.
/// </summary>
public static class ReservationPlanner
{
    private static NetworkPlanException Invalid(string id, string message) => new(id, KvmErrorKind.InvalidArgument, message);

    /// <summary>A unicast MAC in libvirt's form (lower case, colons); accepts ':' or '-' separators.</summary>
    public static string NormalizeMac(string mac)
    {
        string s = MacAddressText.Normalize(mac)
            ?? throw Invalid("InvalidMacAddress", $"'{mac}' is not a MAC address ({MacAddressText.Forms}).");
        if (!MacAddressText.IsUnicast(s))
        {
            throw Invalid("InvalidMacAddress", $"'{mac}' is a multicast MAC address; a guest's MAC is unicast (first octet even).");
        }
        return s;
    }

    /// <summary>The IPv4 address element reservations go to; throws when the network cannot take one.</summary>
    public static NetworkIp TargetIp(NetworkDefinition def)
    {
        NetworkIp? v4 = def.IPv4;
        if (v4 is null)
        {
            throw new NetworkPlanException("NoIPv4Subnet", KvmErrorKind.InvalidOperation,
                $"Network '{def.Name}' has no IPv4 subnet with DHCP, so it has nothing to reserve addresses from.");
        }
        if (!v4.HasDhcp)
        {
            throw new NetworkPlanException("DhcpDisabled", KvmErrorKind.InvalidOperation,
                $"Network '{def.Name}' runs no DHCP server on {v4.Subnet} (it was made with -NoDhcp), so a reservation would never be served.");
        }
        return v4;
    }

    /// <summary>Checks a requested address: IPv4, inside the subnet, not the network, broadcast or host address.</summary>
    public static string CheckAddress(NetworkIp v4, string text)
    {
        if (!IpSubnet.TryParseAddress(text, out IPAddress? ip))
        {
            throw Invalid("InvalidAddress", $"'{text}' is not an IP address.");
        }
        if (ip.AddressFamily == AddressFamily.InterNetworkV6)
        {
            throw Invalid("IPv6ReservationNotSupported",
                $"{ip} is an IPv6 address. DHCPv6 identifies clients by DUID, not by MAC, so reservations by MAC are IPv4 only.");
        }
        UInt128 v = IpSubnet.ToInteger(ip);
        IpSubnet s = v4.Subnet;
        if (!s.Contains(v) || v < s.FirstHost || v > s.LastHost || v == v4.Gateway)
        {
            UInt128 low = v4.Gateway == s.FirstHost ? s.FirstHost + 1 : s.FirstHost;
            string except = v4.Gateway == s.FirstHost ? "" : $", except the host's own {v4.GatewayText}";
            throw Invalid("AddressOutsideSubnet",
                $"{ip} is not an address a guest can use in {s}: use {s.Address(low)} to {s.Address(s.LastHost)}{except}.");
        }
        return ip.ToString();
    }

    public static string CheckHostName(string name)
    {
        if (!NetworkPlanner.IsDnsName(name))
        {
            throw Invalid("InvalidHostName", $"'{name}' is not a valid host name (letters, digits and hyphens; dots between labels).");
        }
        return name;
    }

    /// <summary>
    /// An address for a MAC given without one: the address it holds a lease on now (so pinning a
    /// running guest keeps its address), else the lowest free address of the DHCP range, else of the subnet.
    /// </summary>
    public static string? PickAddress(NetworkIp v4, string mac, IEnumerable<NetworkHost> reserved, IEnumerable<(string? Mac, string Ip)> leases)
    {
        var taken = new HashSet<UInt128>();
        foreach (NetworkHost h in reserved)
        {
            if (IpSubnet.TryParseAddress(h.Ip, out IPAddress? a))
            {
                taken.Add(IpSubnet.ToInteger(a));
            }
        }
        var leaseList = leases.ToList();
        foreach (var (leaseMac, leaseIp) in leaseList)
        {
            if (leaseMac == mac && IpSubnet.TryParseAddress(leaseIp, out IPAddress? own) && v4.Subnet.Contains(own)
                && !taken.Contains(IpSubnet.ToInteger(own)))
            {
                return own.ToString();
            }
        }
        foreach (var (_, leaseIp) in leaseList)
        {
            if (IpSubnet.TryParseAddress(leaseIp, out IPAddress? a))
            {
                taken.Add(IpSubnet.ToInteger(a));
            }
        }
        taken.Add(v4.Gateway);
        IpSubnet s = v4.Subnet;
        var ranges = new List<(UInt128, UInt128)>();
        if (v4.DhcpStart is UInt128 rs && v4.DhcpEnd is UInt128 re)
        {
            ranges.Add((rs, re));
        }
        ranges.Add((s.FirstHost, s.LastHost));
        foreach (var (from, to) in ranges)
        {
            // Ends after at most taken.Count + 1 steps, however large the subnet.
            for (UInt128 v = from; v <= to; v++)
            {
                if (!taken.Contains(v))
                {
                    return s.Address(v).ToString();
                }
            }
        }
        return null;
    }
}

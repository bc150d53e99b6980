using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace KvmPS.Engine.Networks;

/// <summary>
/// Turns a request into a network definition: checks every value, derives the gateway (the first
/// host address) and the DHCP range (the rest of the subnet, within libvirt's 65,536-address
/// block), picks a free subnet when none is given, and finds conflicts with other networks and
/// host routes. Pure: the caller supplies the state it reads from libvirt and the kernel.
/// </summary>
public static partial class NetworkPlanner
{
    /// <summary>
    /// libvirt refuses a DHCP range whose ends differ above the last 16 bits ("range ... is too
    /// large (> 65535)"): a range must lie within one aligned block of 65,536 addresses.
    /// </summary>
    public static readonly UInt128 DhcpBlockMask = 0xFFFF;

    /// <summary>A validated request: everything parsed; subnets may still be empty (to be picked).</summary>
    public sealed record Plan
    {
        public string Name { get; init; } = "";
        public KvmNetworkMode Mode { get; init; }
        public string? BridgeName { get; init; }
        public string? DnsDomain { get; init; }
        public bool Dhcp { get; init; }
        public IReadOnlyList<IpSubnet> Subnets { get; init; } = Array.Empty<IpSubnet>();
        public IReadOnlyDictionary<AddressFamily, UInt128> DhcpStarts { get; init; } = new Dictionary<AddressFamily, UInt128>();
        public IReadOnlyDictionary<AddressFamily, UInt128> DhcpEnds { get; init; } = new Dictionary<AddressFamily, UInt128>();

        /// <summary>Nat, Route and Open networks need an address; without -Subnet one is picked.</summary>
        public bool NeedsSubnet => Subnets.Count == 0 && Mode is KvmNetworkMode.Nat or KvmNetworkMode.Route or KvmNetworkMode.Open;
    }

    private static NetworkPlanException Invalid(string id, string message) => new(id, KvmErrorKind.InvalidArgument, message);

    /// <summary>Checks every value of the request on its own; throws NetworkPlanException (InvalidArgument).</summary>
    public static Plan Validate(NetworkRequest r)
    {
        string name = r.Name ?? "";
        if (ObjectName.Validate("network", name) is string badName)
        {
            throw Invalid("InvalidName", badName);
        }
        KvmNetworkMode mode = r.Mode ?? (string.IsNullOrEmpty(r.HostBridge) ? KvmNetworkMode.Nat : KvmNetworkMode.Bridge);
        if (mode == KvmNetworkMode.Other)
        {
            throw Invalid("InvalidMode", "Mode must be Nat, Route, Isolated, Bridge or Open.");
        }
        if (r.BridgeName is not null)
        {
            CheckBridgeName(r.BridgeName, "BridgeName");
        }
        if (r.HostBridge is not null)
        {
            CheckBridgeName(r.HostBridge, "HostBridge");
        }

        if (mode == KvmNetworkMode.Bridge)
        {
            if (string.IsNullOrEmpty(r.HostBridge))
            {
                throw Invalid("MissingHostBridge", "Bridge mode attaches guests to an existing host bridge: give it with -HostBridge (e.g. -HostBridge br0).");
            }
            var extra = new List<string>();
            if (r.Subnets.Count > 0) extra.Add("-Subnet");
            if (r.DhcpStarts.Count > 0) extra.Add("-DhcpStart");
            if (r.DhcpEnds.Count > 0) extra.Add("-DhcpEnd");
            if (r.NoDhcp) extra.Add("-NoDhcp");
            if (!string.IsNullOrEmpty(r.DnsDomain)) extra.Add("-DnsDomain");
            if (r.BridgeName is not null && r.BridgeName != r.HostBridge) extra.Add("-BridgeName");
            if (extra.Count > 0)
            {
                throw Invalid("ParameterNotValidForMode",
                    $"{string.Join(", ", extra)} cannot be used in Bridge mode: a bridge network has no subnet, DHCP or DNS of its own (the host bridge's LAN provides them).");
            }
            return new Plan { Name = name, Mode = mode, BridgeName = r.HostBridge };
        }
        if (!string.IsNullOrEmpty(r.HostBridge))
        {
            throw Invalid("ParameterNotValidForMode", $"-HostBridge is for Bridge mode only; a {mode} network makes its own bridge (name it with -BridgeName).");
        }
        if (!string.IsNullOrEmpty(r.DnsDomain) && !IsDnsName(r.DnsDomain))
        {
            throw Invalid("InvalidDnsDomain", $"'{r.DnsDomain}' is not a valid DNS domain (letters, digits and hyphens in dot-separated labels of up to 63 characters).");
        }

        var subnets = new List<IpSubnet>();
        foreach (string text in r.Subnets)
        {
            if (!IpSubnet.TryParse(text, out IpSubnet? s, out string? error))
            {
                throw Invalid("InvalidSubnet", error);
            }
            CheckSubnetUsable(s.Value);
            if (subnets.Any(x => x.Family == s.Value.Family))
            {
                throw Invalid("TooManySubnets", "Give at most one IPv4 and one IPv6 subnet.");
            }
            subnets.Add(s.Value);
        }

        if (r.NoDhcp && (r.DhcpStarts.Count > 0 || r.DhcpEnds.Count > 0))
        {
            throw Invalid("ConflictingDhcpParameters", "-NoDhcp cannot be combined with -DhcpStart or -DhcpEnd.");
        }
        var starts = ParseDhcpAddresses(r.DhcpStarts, "DhcpStart", subnets);
        var ends = ParseDhcpAddresses(r.DhcpEnds, "DhcpEnd", subnets);
        var plan = new Plan
        {
            Name = name,
            Mode = mode,
            BridgeName = r.BridgeName,
            DnsDomain = string.IsNullOrEmpty(r.DnsDomain) ? null : r.DnsDomain.TrimEnd('.').ToLowerInvariant(),
            Dhcp = !r.NoDhcp,
            Subnets = subnets,
            DhcpStarts = starts,
            DhcpEnds = ends,
        };
        // Ranges are checked now, before anything is read from the host.
        foreach (IpSubnet s in subnets)
        {
            _ = IpFor(plan, s);
        }
        return plan;
    }

    private static void CheckSubnetUsable(IpSubnet s)
    {
        IPAddress a = s.Address(s.Network);
        string? why = null;
        if (s.PrefixLength == 0)
        {
            why = "it is the whole address space";
        }
        else if (IPAddress.IsLoopback(a) || a.Equals(IPAddress.IPv6Loopback))
        {
            why = "it is a loopback subnet";
        }
        else if (s.IsIPv6 ? a.IsIPv6Multicast : (IpSubnet.ToInteger(a) >> 28) == 0xE)
        {
            why = "it is a multicast subnet";
        }
        else if (s.IsIPv6 ? a.IsIPv6LinkLocal : (IpSubnet.ToInteger(a) >> 16) == 0xA9FE)
        {
            why = "it is a link-local subnet";
        }
        if (why is not null)
        {
            throw Invalid("InvalidSubnet", $"{s} cannot be a network's subnet: {why}.");
        }
        // Room for the gateway and at least one guest.
        int maxPrefix = s.IsIPv6 ? 126 : 30;
        if (s.PrefixLength > maxPrefix)
        {
            throw Invalid("SubnetTooSmall", $"{s} is too small: a network needs room for the host's address and at least one guest (/{maxPrefix} at most).");
        }
    }

    private static Dictionary<AddressFamily, UInt128> ParseDhcpAddresses(IReadOnlyList<string> texts, string parameter, List<IpSubnet> subnets)
    {
        var result = new Dictionary<AddressFamily, UInt128>();
        foreach (string text in texts)
        {
            if (!IpSubnet.TryParseAddress(text, out IPAddress? ip))
            {
                throw Invalid("InvalidAddress", $"-{parameter} '{text}' is not an IPv4 or IPv6 address.");
            }
            if (!subnets.Any(s => s.Family == ip.AddressFamily))
            {
                throw Invalid("DhcpRangeWithoutSubnet",
                    $"-{parameter} {ip} needs the {(ip.AddressFamily == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} subnet it belongs to: give it with -Subnet.");
            }
            if (!result.TryAdd(ip.AddressFamily, IpSubnet.ToInteger(ip)))
            {
                throw Invalid("TooManyDhcpAddresses", $"-{parameter} takes at most one IPv4 and one IPv6 address.");
            }
        }
        return result;
    }

    /// <summary>The address element for one subnet: gateway first host, DHCP over the rest unless told otherwise.</summary>
    private static NetworkIp IpFor(Plan plan, IpSubnet s)
    {
        UInt128 gateway = s.FirstHost;
        if (!plan.Dhcp)
        {
            return new NetworkIp { Subnet = s, Gateway = gateway };
        }
        UInt128 low = gateway + 1, high = s.LastHost;
        bool hasStart = plan.DhcpStarts.TryGetValue(s.Family, out UInt128 start);
        bool hasEnd = plan.DhcpEnds.TryGetValue(s.Family, out UInt128 end);
        foreach (var (given, value, param) in new[] { (hasStart, start, "DhcpStart"), (hasEnd, end, "DhcpEnd") })
        {
            if (given && (value < low || value > high))
            {
                throw Invalid("DhcpRangeOutsideSubnet",
                    $"-{param} {s.Address(value)} is outside the addresses guests can use in {s}: {s.Address(low)} to {s.Address(high)} ({s.Address(gateway)} is the host's own).");
            }
        }
        // Defaults run as far as the subnet and libvirt's 65,536-address block allow.
        if (!hasStart)
        {
            start = hasEnd ? Max(low, end & ~DhcpBlockMask) : low;
        }
        if (!hasEnd)
        {
            end = Min(high, start | DhcpBlockMask);
        }
        if (start > end)
        {
            throw Invalid("InvalidDhcpRange", $"The DHCP range starts after it ends: {s.Address(start)} > {s.Address(end)}.");
        }
        if ((start & ~DhcpBlockMask) != (end & ~DhcpBlockMask))
        {
            throw Invalid("DhcpRangeTooLarge",
                $"The DHCP range {s.Address(start)} - {s.Address(end)} is too large for libvirt: both ends must lie in the same block of 65,536 addresses "
                + $"(for this start, {s.Address(start & ~DhcpBlockMask)} to {s.Address(start | DhcpBlockMask)}).");
        }
        return new NetworkIp { Subnet = s, Gateway = gateway, DhcpStart = start, DhcpEnd = end };
    }

    private static UInt128 Min(UInt128 a, UInt128 b) => a < b ? a : b;

    private static UInt128 Max(UInt128 a, UInt128 b) => a > b ? a : b;

    /// <summary>The definition for a validated plan, with the subnet picked by the caller when the plan had none.</summary>
    public static NetworkDefinition Build(Plan plan, IpSubnet? picked = null)
    {
        IReadOnlyList<IpSubnet> subnets = plan.Subnets.Count == 0 && picked is IpSubnet p ? new[] { p } : plan.Subnets;
        return new NetworkDefinition
        {
            Name = plan.Name,
            Mode = plan.Mode,
            ForwardMode = plan.Mode switch
            {
                KvmNetworkMode.Nat => "nat",
                KvmNetworkMode.Route => "route",
                KvmNetworkMode.Open => "open",
                KvmNetworkMode.Bridge => "bridge",
                _ => "",
            },
            BridgeName = plan.BridgeName,
            DnsDomain = plan.DnsDomain,
            Ips = subnets.OrderBy(s => s.IsIPv6).Select(s => IpFor(plan, s)).ToList(),
        };
    }

    /// <summary>
    /// The first free /24 from 192.168.122.0 up to 192.168.254.0 — where libvirt's own default
    /// network lives and how its installer steps aside when that one is taken.
    /// </summary>
    public static IpSubnet? PickFreeSubnet(IEnumerable<IpSubnet> used)
    {
        var taken = used.ToList();
        for (int third = 122; third <= 254; third++)
        {
            var candidate = IpSubnet.FromAddress(new IPAddress(new byte[] { 192, 168, (byte)third, 0 }), 24);
            if (!taken.Any(t => t.Overlaps(candidate)))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>
    /// Refuses a definition that clashes with another libvirt network (subnet or bridge name) or
    /// with a host route. Networks named like the definition are skipped: the caller handles those.
    /// </summary>
    public static void CheckConflicts(NetworkDefinition def, IEnumerable<ExistingNetwork> others, IEnumerable<HostRoute> routes)
    {
        var otherList = others.Where(o => o.Name != def.Name).ToList();
        foreach (IpSubnet s in def.Subnets)
        {
            foreach (ExistingNetwork o in otherList)
            {
                IpSubnet? hit = o.Subnets.Where(x => x.Overlaps(s)).Select(x => (IpSubnet?)x).FirstOrDefault();
                if (hit is not null)
                {
                    throw new NetworkPlanException("SubnetOverlapsNetwork", KvmErrorKind.AlreadyExists,
                        $"Subnet {s} overlaps {hit} of network '{o.Name}'. Choose a free subnet.");
                }
            }
        }
        if (def.Mode != KvmNetworkMode.Bridge && !string.IsNullOrEmpty(def.BridgeName))
        {
            ExistingNetwork? user = otherList.FirstOrDefault(o => string.Equals(o.BridgeName, def.BridgeName, StringComparison.Ordinal));
            if (user is not null)
            {
                throw new NetworkPlanException("BridgeNameInUse", KvmErrorKind.AlreadyExists,
                    $"Bridge '{def.BridgeName}' is already used by network '{user.Name}'. Choose another -BridgeName or leave it out to let libvirt pick one.");
            }
        }
        var routeList = routes.ToList();
        foreach (IpSubnet s in def.Subnets)
        {
            HostRoute? r = routeList.FirstOrDefault(x => x.Destination.Overlaps(s));
            if (r is not null)
            {
                throw new NetworkPlanException("SubnetOverlapsHostRoute", KvmErrorKind.AlreadyExists,
                    $"Subnet {s} overlaps the host route {r.Destination} on interface '{r.Interface}'. Choose a subnet the host does not reach already.");
            }
        }
    }

    /// <summary>
    /// How an existing network differs from the one requested, in words; empty when it is the same
    /// network. Reservations, UUID, MAC and libvirt's own additions are not compared; the bridge
    /// name only when it was asked for.
    /// </summary>
    public static IReadOnlyList<string> Differences(NetworkDefinition requested, NetworkDefinition existing, bool compareBridgeName)
    {
        var diffs = new List<string>();
        void Compare(string what, string? want, string? have)
        {
            if (!string.Equals(want ?? "", have ?? "", StringComparison.OrdinalIgnoreCase))
            {
                diffs.Add($"{what} is {Show(have)} (requested {Show(want)})");
            }
        }
        Compare("Mode", requested.Mode.ToString(), existing.Mode.ToString());
        if (compareBridgeName || requested.Mode == KvmNetworkMode.Bridge)
        {
            Compare(requested.Mode == KvmNetworkMode.Bridge ? "HostBridge" : "BridgeName", requested.BridgeName, existing.BridgeName);
        }
        Compare("DnsDomain", requested.DnsDomain, existing.DnsDomain?.TrimEnd('.'));
        foreach (bool v6 in new[] { false, true })
        {
            NetworkIp? want = v6 ? requested.IPv6 : requested.IPv4;
            NetworkIp? have = v6 ? existing.IPv6 : existing.IPv4;
            string suffix = v6 ? "6" : "";
            Compare("Subnet" + suffix, want?.Subnet.ToString(), have?.Subnet.ToString());
            if (want is not null && have is not null && want.Subnet == have.Subnet)
            {
                Compare("Gateway" + suffix, want.GatewayText, have.GatewayText);
                Compare("DhcpStart" + suffix, want.DhcpStartText, have.DhcpStartText);
                Compare("DhcpEnd" + suffix, want.DhcpEndText, have.DhcpEndText);
            }
        }
        return diffs;
    }

    private static string Show(string? v) => string.IsNullOrEmpty(v) ? "(none)" : v;

    /// <summary>Linux interface names: 1-15 characters, no '/', ':' or whitespace, not "." or "..".</summary>
    private static void CheckBridgeName(string name, string parameter)
    {
        if (name.Length is 0 or > 15 || name is "." or ".." || name.Any(c => c is '/' or ':' || char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw Invalid("InvalidBridgeName", $"-{parameter} '{name}' is not a valid Linux interface name (1 to 15 characters, no '/', ':' or spaces).");
        }
    }

    public static bool IsDnsName(string name)
    {
        string n = name.TrimEnd('.');
        return n.Length is > 0 and <= 253 && n.Split('.').All(l => DnsLabel().IsMatch(l));
    }

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex DnsLabel();
}

using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace KvmPS.Engine.Networks;

/// <summary>
/// An IPv4 or IPv6 subnet (network address and prefix length) with the address arithmetic the
/// network planner needs. Addresses are held as 128-bit integers so both families share one code path.
/// </summary>
public readonly record struct IpSubnet
{
    private IpSubnet(AddressFamily family, UInt128 network, int prefixLength)
    {
        Family = family;
        Network = network;
        PrefixLength = prefixLength;
    }

    public AddressFamily Family { get; }

    /// <summary>The network address as an integer (host bits zero).</summary>
    public UInt128 Network { get; }

    public int PrefixLength { get; }

    public bool IsIPv6 => Family == AddressFamily.InterNetworkV6;

    public int Bits => BitsOf(Family);

    public UInt128 HostMask => PrefixLength == Bits ? UInt128.Zero : (UInt128.One << (Bits - PrefixLength)) - 1;

    /// <summary>The last address of the subnet (the IPv4 broadcast address).</summary>
    public UInt128 Last => Network | HostMask;

    /// <summary>The address count of the subnet.</summary>
    public UInt128 Size => HostMask + 1;

    /// <summary>First address a host may use: network + 1 (the network address itself is never a host's).</summary>
    public UInt128 FirstHost => Network + 1;

    /// <summary>Last address a host may use: IPv4 keeps its broadcast address; IPv6 has none.</summary>
    public UInt128 LastHost => IsIPv6 ? Last : Last - 1;

    /// <summary>Parses "address/prefix". Host bits must be zero: 10.0.0.1/24 is refused with a hint.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out IpSubnet? subnet, [NotNullWhen(false)] out string? error)
    {
        subnet = null;
        string s = (text ?? "").Trim();
        int slash = s.IndexOf('/');
        if (slash <= 0 || slash == s.Length - 1)
        {
            error = $"'{text}' is not a subnet in CIDR form (address/prefix, e.g. 192.168.122.0/24 or fd00:1::/64).";
            return false;
        }
        if (!TryParseAddress(s[..slash], out IPAddress? ip))
        {
            error = $"'{s[..slash]}' in '{text}' is not an IPv4 or IPv6 address.";
            return false;
        }
        int bits = BitsOf(ip.AddressFamily);
        if (!int.TryParse(s[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int prefix) || prefix > bits)
        {
            error = $"'{s[(slash + 1)..]}' in '{text}' is not a prefix length from 0 to {bits}.";
            return false;
        }
        var candidate = FromAddress(ip, prefix);
        if (candidate.Network != ToInteger(ip))
        {
            error = $"'{text}' has host bits set; the subnet is {candidate}.";
            return false;
        }
        subnet = candidate;
        error = null;
        return true;
    }

    /// <summary>The subnet of <paramref name="address"/> with the given prefix (host bits cleared).</summary>
    public static IpSubnet FromAddress(IPAddress address, int prefixLength)
    {
        int bits = BitsOf(address.AddressFamily);
        if (prefixLength < 0 || prefixLength > bits)
        {
            throw new ArgumentOutOfRangeException(nameof(prefixLength));
        }
        UInt128 mask = prefixLength == bits ? UInt128.Zero : (UInt128.One << (bits - prefixLength)) - 1;
        return new IpSubnet(address.AddressFamily, ToInteger(address) & ~mask, prefixLength);
    }

    /// <summary>An IPv4 dotted netmask (255.255.255.0) as a prefix length; null when the mask is not contiguous.</summary>
    public static int? PrefixFromNetmask(IPAddress mask)
    {
        if (mask.AddressFamily != AddressFamily.InterNetwork)
        {
            return null;
        }
        uint m = BinaryPrimitives.ReadUInt32BigEndian(mask.GetAddressBytes());
        int ones = System.Numerics.BitOperations.PopCount(m);
        uint expected = ones == 0 ? 0u : uint.MaxValue << (32 - ones);
        return m == expected ? ones : null;
    }

    public bool Contains(IPAddress address) =>
        address.AddressFamily == Family && (ToInteger(address) & ~HostMask) == Network;

    public bool Contains(UInt128 value) => (value & ~HostMask) == Network;

    /// <summary>Whether the two subnets share any address (one contains the other).</summary>
    public bool Overlaps(IpSubnet other) =>
        other.Family == Family && (Contains(other.Network) || other.Contains(Network));

    public IPAddress Address(UInt128 value) => ToAddress(value, Family);

    public override string ToString() => $"{ToAddress(Network, Family)}/{PrefixLength}";

    /// <summary>Parses a plain address (no zone, no brackets); IPv4-mapped IPv6 stays IPv6.</summary>
    public static bool TryParseAddress(string? text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        string s = (text ?? "").Trim();
        // IPAddress.TryParse accepts "10.1" (classful shorthand), octal and hex parts and zone
        // ids; an administrator writing those almost certainly made a typo.
        if (s.Length == 0 || s.Contains('%') || s.Contains('['))
        {
            return false;
        }
        if (!s.Contains(':') && !IsDottedQuad(s))
        {
            return false;
        }
        return IPAddress.TryParse(s, out address);
    }

    private static bool IsDottedQuad(string s)
    {
        string[] parts = s.Split('.');
        return parts.Length == 4 && parts.All(p =>
            p.Length is >= 1 and <= 3 && p.All(char.IsAsciiDigit) && (p.Length == 1 || p[0] != '0') && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
    }

    public static UInt128 ToInteger(IPAddress address)
    {
        byte[] b = address.GetAddressBytes();
        return b.Length == 4
            ? BinaryPrimitives.ReadUInt32BigEndian(b)
            : BinaryPrimitives.ReadUInt128BigEndian(b);
    }

    public static IPAddress ToAddress(UInt128 value, AddressFamily family)
    {
        if (family == AddressFamily.InterNetwork)
        {
            var b4 = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(b4, (uint)value);
            return new IPAddress(b4);
        }
        var b16 = new byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(b16, value);
        return new IPAddress(b16);
    }

    private static int BitsOf(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => 32,
        AddressFamily.InterNetworkV6 => 128,
        _ => throw new ArgumentException($"Not an IP address family: {family}."),
    };
}

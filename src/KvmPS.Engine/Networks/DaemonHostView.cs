using System.Globalization;
using System.Net;
using KvmPS.Engine.HostChecks;

namespace KvmPS.Engine.Networks;

/// <summary>
/// The host as the local libvirt daemon's network driver sees it: its routes and interfaces.
/// That daemon may run in a network namespace of its own (the test runs put it in one), and the
/// bridges it makes, and the routes they collide with, live in that namespace — not necessarily
/// in this process's. So the routes are read from /proc/&lt;pid&gt;/net/ of the network driver's
/// process, whose pid libvirt records in /run/libvirt/network/driver.pid, and interfaces from
/// /proc/&lt;pid&gt;/root/sys/class/net (the daemon's own sysfs mount). When that pid is not
/// readable, this process's own view is used. Reads go through <see cref="IHostFileSystem"/>, so
/// tests point the view at a fixture tree.
/// </summary>
public sealed class DaemonHostView
{
    private const uint RTF_UP = 0x1;

    private readonly IHostFileSystem _fs;

    public DaemonHostView(IHostFileSystem fs)
    {
        _fs = fs;
    }

    /// <summary>The pid of the network driver's process, when its pid file names a live process.</summary>
    public int? DaemonPid =>
        int.TryParse(_fs.ReadText("/run/libvirt/network/driver.pid")?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
        && _fs.Exists($"/proc/{pid}/net") ? pid : null;

    /// <summary>The routes the daemon's namespace has, and where they were read (for -Verbose).</summary>
    public (IReadOnlyList<HostRoute> Routes, string Source) ReadRoutes()
    {
        int? pid = DaemonPid;
        string dir = pid is int p ? $"/proc/{p}/net" : "/proc/self/net";
        string source = pid is int q
            ? $"the network namespace of the libvirt network driver (pid {q})"
            : "this process's network namespace (the libvirt network driver's pid file was not readable)";
        var routes = new List<HostRoute>();
        routes.AddRange(ParseIPv4(_fs.ReadText($"{dir}/route") ?? ""));
        routes.AddRange(ParseIPv6(_fs.ReadText($"{dir}/ipv6_route") ?? ""));
        return (routes, source);
    }

    /// <summary>Whether an interface exists where the daemon sees interfaces, and whether it is a bridge; null when that cannot be told.</summary>
    public (bool Exists, bool IsBridge)? FindInterface(string name)
    {
        if (DaemonPid is not int pid || !_fs.Exists($"/proc/{pid}/root/sys/class/net"))
        {
            return null;
        }
        string iface = $"/proc/{pid}/root/sys/class/net/{name}";
        return (_fs.Exists(iface), _fs.Exists(iface + "/bridge"));
    }

    /// <summary>
    /// The bridges among the interfaces where the daemon sees them (its namespace when its pid is
    /// known, else this process's /sys/class/net): the interfaces that have a bridge directory.
    /// </summary>
    public IReadOnlyList<string> ListBridges()
    {
        string dir = DaemonPid is int pid && _fs.Exists($"/proc/{pid}/root/sys/class/net")
            ? $"/proc/{pid}/root/sys/class/net"
            : "/sys/class/net";
        return _fs.List(dir).Where(n => _fs.Exists($"{dir}/{n}/bridge")).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// /proc/net/route: the main table. Addresses are the kernel's 32-bit values printed in the
    /// machine's byte order. Routes that are down, the default route (every subnet "overlaps"
    /// 0.0.0.0/0, and that is no conflict) and loopback are left out.
    /// </summary>
    public static List<HostRoute> ParseIPv4(string text)
    {
        var list = new List<HostRoute>();
        foreach (string line in text.Split('\n').Skip(1))
        {
            string[] f = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 8
                || !uint.TryParse(f[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint dest)
                || !uint.TryParse(f[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint flags)
                || !uint.TryParse(f[7], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint mask))
            {
                continue;
            }
            var destIp = new IPAddress(BitConverter.GetBytes(dest));
            int? prefix = IpSubnet.PrefixFromNetmask(new IPAddress(BitConverter.GetBytes(mask)));
            if ((flags & RTF_UP) == 0 || prefix is null or 0 || IPAddress.IsLoopback(destIp))
            {
                continue;
            }
            list.Add(new HostRoute(IpSubnet.FromAddress(destIp, prefix.Value), f[0]));
        }
        return list;
    }

    /// <summary>
    /// /proc/net/ipv6_route: destination and prefix in hex, flags, interface last. Loopback,
    /// link-local and multicast routes exist on every host and are left out, as is the default.
    /// </summary>
    public static List<HostRoute> ParseIPv6(string text)
    {
        var list = new List<HostRoute>();
        foreach (string line in text.Split('\n'))
        {
            string[] f = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 10 || f[0].Length != 32
                || !int.TryParse(f[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int prefix)
                || !uint.TryParse(f[8], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint flags))
            {
                continue;
            }
            var dest = new IPAddress(Convert.FromHexString(f[0]));
            if ((flags & RTF_UP) == 0 || prefix is <= 0 or > 128
                || dest.IsIPv6LinkLocal || dest.IsIPv6Multicast || IPAddress.IsLoopback(dest))
            {
                continue;
            }
            list.Add(new HostRoute(IpSubnet.FromAddress(dest, prefix), f[9]));
        }
        return list;
    }
}

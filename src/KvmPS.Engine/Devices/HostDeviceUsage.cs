using System.Globalization;
using KvmPS.Engine.HostChecks;

namespace KvmPS.Engine.Devices;

/// <summary>
/// What the host itself uses of one PCI device, read from sysfs and procfs through an
/// <see cref="IHostFileSystem"/>: its network interfaces that are up, carry addresses or routes, or
/// are ports of a bridge or bond; and the block devices under it (disks and their partitions) that
/// are mounted, hold swap, or are part of a device-mapper (LVM, crypt) or md device — with what that
/// holder is used for. Each use is one sentence; none means the host does not use the device.
/// </summary>
public static class HostDeviceUsage
{
    private const uint IffUp = 0x1;

    public static IReadOnlyList<string> Find(IHostFileSystem fs, string pciAddress)
    {
        var uses = new List<string>();
        uses.AddRange(NetworkUses(fs, pciAddress));
        uses.AddRange(StorageUses(fs, pciAddress));
        return uses;
    }

    private static IEnumerable<string> NetworkUses(IHostFileSystem fs, string address)
    {
        string dir = $"/sys/bus/pci/devices/{address}/net";
        var routes = Lines(fs.ReadText("/proc/net/route")).Skip(1).Select(Fields).Where(f => f.Length >= 8).ToList();
        var routes6 = Lines(fs.ReadText("/proc/net/ipv6_route")).Select(Fields).Where(f => f.Length >= 10).ToList();
        var inet6 = Lines(fs.ReadText("/proc/net/if_inet6")).Select(Fields).Where(f => f.Length >= 6).ToList();
        foreach (string iface in fs.List(dir))
        {
            var what = new List<string>();
            string flagsText = (fs.ReadText($"{dir}/{iface}/flags") ?? "").Trim();
            if (flagsText.StartsWith("0x", StringComparison.Ordinal)
                && uint.TryParse(flagsText.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint flags)
                && (flags & IffUp) != 0)
            {
                what.Add("is up");
            }
            var v4 = routes.Where(f => f[0] == iface).Select(Route4).ToList();
            if (v4.Count > 0)
            {
                what.Add($"carries routes ({string.Join(", ", v4)})");
            }
            // Link-local fe80:: addresses come with any interface that is up: up says it already.
            var global6 = inet6.Where(f => f[5] == iface && !f[0].StartsWith("fe80", StringComparison.OrdinalIgnoreCase)).ToList();
            if (global6.Count > 0)
            {
                what.Add($"has IPv6 address(es) {string.Join(", ", global6.Select(f => Ipv6(f[0]) + "/" + Hex(f[2])))}");
            }
            else if (routes6.Any(f => f[9] == iface && !f[0].StartsWith("fe80", StringComparison.OrdinalIgnoreCase) && f[0] != new string('0', 32)))
            {
                what.Add("carries IPv6 routes");
            }
            var uppers = fs.List($"{dir}/{iface}").Where(n => n.StartsWith("upper_", StringComparison.Ordinal)).Select(n => n["upper_".Length..]).ToList();
            if (uppers.Count > 0)
            {
                what.Add($"is a port of {string.Join(", ", uppers)}");
            }
            if (what.Count > 0)
            {
                yield return $"its network interface {iface} {Join(what)}";
            }
        }
    }

    private static IEnumerable<string> StorageUses(IHostFileSystem fs, string address)
    {
        if (fs.RealPath($"/sys/bus/pci/devices/{address}") is not string device)
        {
            yield break;
        }
        var mounts = Mounts(fs);
        var swaps = Lines(fs.ReadText("/proc/swaps")).Skip(1).Select(l => Fields(l).FirstOrDefault()).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (string disk in fs.List("/sys/block"))
        {
            if (fs.RealPath($"/sys/block/{disk}") is not string real || !real.StartsWith(device + "/", StringComparison.Ordinal))
            {
                continue;
            }
            var parts = new List<(string Name, string SysDir)> { (disk, $"/sys/block/{disk}") };
            parts.AddRange(fs.List($"/sys/block/{disk}")
                .Where(p => p.StartsWith(disk, StringComparison.Ordinal) && fs.Exists($"/sys/block/{disk}/{p}/partition"))
                .Select(p => (p, $"/sys/block/{disk}/{p}")));
            foreach (var (name, sysDir) in parts)
            {
                if (BlockUse(fs, name, sysDir, mounts, swaps, 0) is string use)
                {
                    yield return $"{name} {use}";
                }
            }
        }
    }

    /// <summary>How the host uses one block device (mount, swap, holders, recursively), or null.</summary>
    private static string? BlockUse(IHostFileSystem fs, string name, string sysDir, List<(string Dev, string Source, string Target)> mounts,
        HashSet<string> swaps, int depth)
    {
        var what = new List<string>();
        string dev = (fs.ReadText($"{sysDir}/dev") ?? "").Trim();
        var at = mounts.Where(m => (dev.Length > 0 && m.Dev == dev) || m.Source == "/dev/" + name).Select(m => m.Target).Distinct().ToList();
        if (at.Count > 0)
        {
            what.Add($"is mounted at {string.Join(", ", at)}");
        }
        if (swaps.Contains("/dev/" + name))
        {
            what.Add("is in use as swap");
        }
        if (depth < 8)
        {
            foreach (string holder in fs.List($"{sysDir}/holders"))
            {
                string label = (fs.ReadText($"/sys/block/{holder}/dm/name") ?? "").Trim();
                string shown = label.Length > 0 ? $"{holder} ({label})" : holder;
                string? inner = BlockUse(fs, holder, $"/sys/block/{holder}", mounts, swaps, depth + 1);
                what.Add($"is part of {shown}{(inner is null ? "" : ", which " + inner)}");
            }
        }
        return what.Count == 0 ? null : Join(what);
    }

    /// <summary>Mounts as (major:minor, source, mount point): /proc/self/mountinfo, else /proc/mounts.</summary>
    private static List<(string Dev, string Source, string Target)> Mounts(IHostFileSystem fs)
    {
        var result = new List<(string, string, string)>();
        if (fs.ReadText("/proc/self/mountinfo") is string info)
        {
            foreach (string line in Lines(info))
            {
                string[] f = Fields(line);
                int dash = Array.IndexOf(f, "-");
                if (f.Length >= 5 && dash > 5 && dash + 2 < f.Length)
                {
                    result.Add((f[2], Unescape(f[dash + 2]), Unescape(f[4])));
                }
            }
            return result;
        }
        foreach (string line in Lines(fs.ReadText("/proc/mounts")))
        {
            string[] f = Fields(line);
            if (f.Length >= 2)
            {
                result.Add(("", Unescape(f[0]), Unescape(f[1])));
            }
        }
        return result;
    }

    private static string Route4(string[] f)
    {
        string dest = Ipv4(f[1]), gateway = Ipv4(f[2]);
        int bits = System.Numerics.BitOperations.PopCount(uint.TryParse(f[7], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint m) ? m : 0);
        string target = dest == "0.0.0.0" && bits == 0 ? "default" : $"{dest}/{bits}";
        return gateway == "0.0.0.0" ? target : $"{target} via {gateway}";
    }

    /// <summary>/proc/net/route writes addresses as little-endian hex words.</summary>
    private static string Ipv4(string hex) =>
        uint.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint v)
            ? $"{v & 0xFF}.{(v >> 8) & 0xFF}.{(v >> 16) & 0xFF}.{v >> 24}"
            : hex;

    private static string Ipv6(string hex32) =>
        hex32.Length == 32 && System.Net.IPAddress.TryParse(string.Join(":", Enumerable.Range(0, 8).Select(i => hex32.Substring(i * 4, 4))), out var ip)
            ? ip.ToString()
            : hex32;

    private static string Hex(string s) =>
        int.TryParse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int v) ? v.ToString(CultureInfo.InvariantCulture) : s;

    /// <summary>Undoes the octal escapes (\040 for a space) the kernel writes in mount tables.</summary>
    private static string Unescape(string s)
    {
        if (!s.Contains('\\'))
        {
            return s;
        }
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 3 < s.Length && s.AsSpan(i + 1, 3).ToString() is var oct && oct.All(c => c is >= '0' and <= '7'))
            {
                sb.Append((char)Convert.ToInt32(oct, 8));
                i += 3;
            }
            else
            {
                sb.Append(s[i]);
            }
        }
        return sb.ToString();
    }

    private static string Join(List<string> parts) =>
        parts.Count == 1 ? parts[0] : string.Join(", ", parts.Take(parts.Count - 1)) + " and " + parts[^1];

    private static IEnumerable<string> Lines(string? text) =>
        (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string[] Fields(string line) => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
}

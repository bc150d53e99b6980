using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Engine.Devices;

/// <summary>
/// What every domain of a host uses (MAC addresses, disk images, host devices), read from both
/// the running and the persistent definitions: a device added for the next start counts as used.
/// </summary>
public sealed partial class HostDomains
{
    private readonly List<(string Name, XElement Xml)> _definitions;

    private HostDomains(List<(string, XElement)> definitions) => _definitions = definitions;

    public static HostDomains Read(LibvirtConnection conn)
    {
        var list = new List<(string, XElement)>();
        foreach (DomainHandle h in conn.ListAllDomains())
        {
            using (h)
            {
                string name = LibvirtConnection.GetName(h);
                try
                {
                    list.Add((name, SafeXml.Parse(LibvirtConnection.GetXml(h))));
                    if (DomainService.IsActive(h) && DomainService.IsPersistent(h))
                    {
                        list.Add((name, SafeXml.Parse(DomainService.GetInactiveXml(h))));
                    }
                }
                catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoDomain)
                {
                    // Removed by someone else since the listing: it uses nothing any more.
                }
            }
        }
        return new HostDomains(list);
    }

    /// <summary>For tests: the view of a fixed set of definitions.</summary>
    public static HostDomains From(IEnumerable<(string Name, XElement Xml)> definitions) => new(definitions.ToList());

    /// <summary>Every definition read: a running persistent VM appears twice (live and next start).</summary>
    public IReadOnlyList<(string Name, XElement Xml)> Definitions => _definitions;

    /// <summary>The VMs whose NICs use the MAC address.</summary>
    public IEnumerable<string> UsersOfMac(string mac) =>
        _definitions.Where(d => DeviceXml.FindNic(d.Xml, mac) is not null).Select(d => d.Name).Distinct();

    /// <summary>The VMs (other than <paramref name="except"/>) with a writable disk on the path.</summary>
    public IEnumerable<string> WritersOfPath(string path, string? except) =>
        _definitions.Where(d => d.Name != except && DeviceXml.Disks(d.Xml).Any(x =>
                x.Element("readonly") is null && x.Element("shareable") is null
                && ((string?)x.Element("source")?.Attribute("file") ?? (string?)x.Element("source")?.Attribute("dev")) == path))
            .Select(d => d.Name).Distinct();

    /// <summary>The VMs (other than <paramref name="except"/>) that have the host device.</summary>
    public IEnumerable<string> UsersOfHostDevice(PciAddress address, string? except) =>
        _definitions.Where(d => d.Name != except && DeviceXml.FindPciHostdev(d.Xml, address) is not null)
            .Select(d => d.Name).Distinct();

    /// <summary>A locally administered-style QEMU MAC (52:54:00:xx:xx:xx) no VM on the host uses.</summary>
    public string NewMacAddress()
    {
        var used = _definitions.SelectMany(d => DeviceXml.Nics(d.Xml))
            .Select(n => ((string?)n.Element("mac")?.Attribute("address"))?.ToLowerInvariant())
            .OfType<string>().ToHashSet(StringComparer.Ordinal);
        Span<byte> b = stackalloc byte[3];
        for (int attempt = 0; attempt < 1000; attempt++)
        {
            RandomNumberGenerator.Fill(b);
            string mac = $"52:54:00:{b[0]:x2}:{b[1]:x2}:{b[2]:x2}";
            if (!used.Contains(mac))
            {
                return mac;
            }
        }
        throw new InvalidOperationException("No free MAC address was found in 52:54:00:xx:xx:xx.");
    }

    [GeneratedRegex("^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$")]
    private static partial Regex MacRegex();

    /// <summary>Whether the text is a unicast MAC address (the group bit of the first octet clear).</summary>
    public static bool IsUnicastMac(string mac) =>
        MacRegex().IsMatch(mac) && (Convert.ToByte(mac[..2], 16) & 1) == 0;
}

using System.Runtime.InteropServices;
using KvmPS.Engine.Native;

namespace KvmPS.Engine.Devices;

/// <summary>
/// The IP addresses a running guest has, per MAC address, where libvirt knows them: the DHCP
/// leases of libvirt's own networks first (cheap, no guest involvement), then for adapters still
/// without an address the guest agent (when the guest runs one), then the host's ARP table. A
/// source that is not available (no agent, a driver without ARP support) is skipped.
/// </summary>
public static class GuestAddresses
{
    /// <summary>Which source the addresses come from (virDomainInterfaceAddressesSource).</summary>
    public enum Source : uint
    {
        Lease = Libvirt.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE,
        Agent = Libvirt.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT,
        Arp = Libvirt.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP,
    }

    /// <summary>Addresses by MAC (lower case) from every source, each adapter's from the first source that knows any.</summary>
    public static Dictionary<string, string[]> Read(DomainHandle h, IReadOnlyCollection<string> macs)
    {
        var result = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (Source source in new[] { Source.Lease, Source.Agent, Source.Arp })
        {
            if (macs.All(result.ContainsKey))
            {
                break;
            }
            Dictionary<string, string[]> found;
            try
            {
                found = Query(h, source);
            }
            catch (LibvirtException)
            {
                continue; // this source is not available for this guest or driver
            }
            foreach (var (mac, addresses) in found)
            {
                if (addresses.Length > 0 && !result.ContainsKey(mac))
                {
                    result[mac] = addresses;
                }
            }
        }
        return result;
    }

    /// <summary>One source's answer: addresses (without prefix length) by MAC.</summary>
    public static unsafe Dictionary<string, string[]> Query(DomainHandle h, Source source)
    {
        Libvirt.VirDomainInterface** ifaces = null;
        int n = LibvirtException.Check(Libvirt.virDomainInterfaceAddresses(h, &ifaces, (uint)source, 0), "virDomainInterfaceAddresses");
        var result = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        try
        {
            for (int i = 0; i < n; i++)
            {
                Libvirt.VirDomainInterface* iface = ifaces[i];
                string? mac = Marshal.PtrToStringUTF8(iface->HwAddr);
                if (string.IsNullOrEmpty(mac))
                {
                    continue;
                }
                var addresses = new List<string>();
                for (uint j = 0; j < iface->NAddrs; j++)
                {
                    if (Marshal.PtrToStringUTF8(iface->Addrs[j].Addr) is { Length: > 0 } addr)
                    {
                        addresses.Add(addr);
                    }
                }
                // The agent reports every guest interface, loopback too; several may share a MAC.
                result[mac] = (result.TryGetValue(mac, out string[]? earlier) ? earlier.Concat(addresses) : addresses)
                    .Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            }
        }
        finally
        {
            for (int i = 0; i < n; i++)
            {
                Libvirt.virDomainInterfaceFree(ifaces[i]);
            }
            NativeMemory.Free(ifaces);
        }
        return result;
    }

    /// <summary>The adapters with their addresses filled in (a running VM's; others are returned as they are).</summary>
    public static KvmNetworkAdapter[] Fill(DomainHandle h, KvmNetworkAdapter[] nics)
    {
        var macs = nics.Select(n => n.MacAddress).OfType<string>().ToList();
        if (macs.Count == 0 || !Domains.DomainService.IsActive(h))
        {
            return nics;
        }
        Dictionary<string, string[]> byMac = Read(h, macs);
        foreach (KvmNetworkAdapter nic in nics)
        {
            if (nic.MacAddress is string mac && byMac.TryGetValue(mac, out string[]? addresses))
            {
                nic.IPAddresses = addresses;
            }
        }
        return nics;
    }
}

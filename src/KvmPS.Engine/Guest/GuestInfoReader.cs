using System.Runtime.InteropServices;
using KvmPS.Engine.Native;

namespace KvmPS.Engine.Guest;

/// <summary>
/// What a guest tells about itself. From the agent when it answers (OS, host name, users, time
/// zone, file systems, interfaces); without an agent the interfaces still come from libvirt's other
/// address sources, as virDomainInterfaceAddresses offers them: the DHCP leases of libvirt's
/// networks, then the host's ARP table. A command the agent lacks or blocks leaves its part empty.
/// </summary>
public static class GuestInfoReader
{
    public static KvmGuestInfo Read(DomainHandle h, string vmName, string uri, Func<DomainHandle, string, GuestAgent>? connect = null)
    {
        GuestAgent? agent = null;
        string? problem = null;
        try
        {
            agent = (connect ?? GuestAgent.Connect)(h, vmName);
            agent.Ping();
        }
        catch (GuestAgentException e)
        {
            agent = null;
            problem = e.Message;
        }
        if (agent is null)
        {
            return new KvmGuestInfo { VMName = vmName, AgentResponding = false, AgentProblem = problem, Interfaces = Fallback(h), Uri = uri };
        }
        var os = GuestInfoParser.OsInfo(Try(agent, "guest-get-osinfo"));
        var tz = GuestInfoParser.TimeZone(Try(agent, "guest-get-timezone"));
        KvmGuestInterface[] nics = GuestInfoParser.Interfaces(Try(agent, "guest-network-get-interfaces"));
        return new KvmGuestInfo
        {
            VMName = vmName,
            AgentResponding = true,
            AgentVersion = SafeVersion(agent),
            OSName = os.Name, OSVersion = os.Version, OSId = os.Id, KernelRelease = os.Kernel, Machine = os.Machine,
            HostName = GuestInfoParser.HostName(Try(agent, "guest-get-host-name")),
            Users = GuestInfoParser.Users(Try(agent, "guest-get-users")),
            TimeZone = tz.Zone, TimeZoneOffset = tz.Offset,
            FileSystems = GuestInfoParser.FileSystems(Try(agent, "guest-get-fsinfo")),
            Interfaces = nics.Length > 0 ? nics : Fallback(h),
            Uri = uri,
        };
    }

    private static string? SafeVersion(GuestAgent agent)
    {
        try
        {
            return agent.Info().Version;
        }
        catch (GuestAgentException)
        {
            return null;
        }
    }

    /// <summary>The "return" of one command, or null when the agent lacks, blocks or fails it.</summary>
    private static System.Text.Json.Nodes.JsonNode? Try(GuestAgent agent, string command)
    {
        try
        {
            var (_, known) = agent.Info();
            if (known.Count > 0 && (!known.TryGetValue(command, out bool on) || !on))
            {
                return null;
            }
            return GuestAgentJson.Return(agent.Send(GuestAgentJson.Command(command), command), command);
        }
        catch (GuestAgentException)
        {
            return null;
        }
    }

    /// <summary>Interfaces from the DHCP leases, else the ARP table (each source as libvirt reports it).</summary>
    public static KvmGuestInterface[] Fallback(DomainHandle h)
    {
        foreach (var source in new[] { Devices.GuestAddresses.Source.Lease, Devices.GuestAddresses.Source.Arp })
        {
            try
            {
                KvmGuestInterface[] found = Query(h, source);
                if (found.Any(i => i.IPAddresses.Length > 0))
                {
                    return found;
                }
            }
            catch (LibvirtException)
            {
                // this source is not available for this driver or guest
            }
        }
        return Array.Empty<KvmGuestInterface>();
    }

    private static unsafe KvmGuestInterface[] Query(DomainHandle h, Devices.GuestAddresses.Source source)
    {
        Libvirt.VirDomainInterface** ifaces = null;
        int n = LibvirtException.Check(Libvirt.virDomainInterfaceAddresses(h, &ifaces, (uint)source, 0), "virDomainInterfaceAddresses");
        var result = new List<KvmGuestInterface>();
        try
        {
            for (int i = 0; i < n; i++)
            {
                Libvirt.VirDomainInterface* iface = ifaces[i];
                var addrs = new List<string>();
                for (uint j = 0; j < iface->NAddrs; j++)
                {
                    if (Marshal.PtrToStringUTF8(iface->Addrs[j].Addr) is { Length: > 0 } a)
                    {
                        addrs.Add($"{a}/{iface->Addrs[j].Prefix}");
                    }
                }
                result.Add(new KvmGuestInterface
                {
                    Name = Marshal.PtrToStringUTF8(iface->Name) ?? "",
                    MacAddress = Marshal.PtrToStringUTF8(iface->HwAddr)?.ToLowerInvariant(),
                    IPAddresses = addrs.ToArray(),
                    Source = source.ToString(),
                });
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
        return result.ToArray();
    }
}

using System.Xml.Linq;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Networks;
using KvmPS.Engine.Storage;

namespace KvmPS.Engine.Configuration;

/// <summary>
/// What one host has now, read for a plan with read calls only: networks, pools, the volumes of the
/// pools a configuration names, and VMs with their persistent definitions.
/// </summary>
public sealed class HostState
{
    public string Uri { get; init; } = "";

    public Dictionary<string, KvmNetwork> Networks { get; init; } = new(StringComparer.Ordinal);

    public Dictionary<string, KvmStoragePool> Pools { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Volumes by pool name, then volume name (only for pools that were read).</summary>
    public Dictionary<string, Dictionary<string, KvmVolume>> Volumes { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Volumes by path, of every pool read: a VM's disk size comes from its volume.</summary>
    public Dictionary<string, KvmVolume> VolumesByPath { get; init; } = new(StringComparer.Ordinal);

    public Dictionary<string, VmState> VMs { get; init; } = new(StringComparer.Ordinal);

    /// <summary>
    /// A VM as it is: the object and the element of its persistent definition (the live one for a
    /// transient VM), and for a running VM its live definition too.
    /// </summary>
    public sealed record VmState(KvmVM VM, XElement Config, bool Running)
    {
        public KvmVM? LiveVM { get; init; }

        public XElement? Live { get; init; }
    }

    public static HostState Read(LibvirtConnection conn)
    {
        var state = new HostState { Uri = conn.Uri };
        foreach (NetworkService.Snapshot n in NetworkService.ListAll(conn, withConfig: true))
        {
            KvmNetwork net = NetworkXml.ToObject(n.Defined, n.Active, n.Autostart, n.Persistent, conn.Uri);
            state.Networks[net.Name] = net;
        }
        foreach (StoragePool p in StoragePool.ListAll(conn))
        {
            using (p)
            {
                KvmStoragePool pool = p.Describe();
                state.Pools[pool.Name] = pool;
                if (!p.IsActive)
                {
                    continue;
                }
                var byName = new Dictionary<string, KvmVolume>(StringComparer.Ordinal);
                foreach (StorageVolume v in p.ListVolumes())
                {
                    using (v)
                    {
                        KvmVolume vol = v.Describe();
                        byName[vol.Name] = vol;
                        state.VolumesByPath[vol.Path] = vol;
                    }
                }
                state.Volumes[pool.Name] = byName;
            }
        }
        foreach (KvmVM live in DomainService.ListAll(conn))
        {
            XElement liveXml = XElement.Parse(live.Xml);
            XElement config = liveXml;
            KvmVM vm = live;
            bool running = live.State is KvmVMState.Running or KvmVMState.Paused or KvmVMState.Blocked or KvmVMState.PMSuspended or KvmVMState.Shutdown;
            if (running && live.Persistent)
            {
                try
                {
                    using var h = conn.LookupDomain(live.Uuid);
                    string xml = DomainService.GetInactiveXml(h);
                    config = XElement.Parse(xml);
                    vm = DomainXml.Read(xml, live.State, live.StateReason, live.Autostart, live.Persistent, conn.Uri);
                }
                catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoDomain)
                {
                    continue;
                }
            }
            state.VMs[vm.Name] = new VmState(vm, config, running) { LiveVM = running ? live : null, Live = running ? liveXml : null };
        }
        return state;
    }
}

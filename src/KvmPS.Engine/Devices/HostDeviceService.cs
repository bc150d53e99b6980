using KvmPS.Engine.Native;

namespace KvmPS.Engine.Devices;

/// <summary>The host's PCI devices, from libvirt's node devices.</summary>
public static class HostDeviceService
{
    /// <summary>Every PCI device of the host, ordered by address.</summary>
    public static List<KvmHostDevice> List(LibvirtConnection conn) =>
        NodeDeviceXml.ToHostDevices(ReadAll(conn), conn.Uri);

    /// <summary>The parsed node devices (one listing call, one XML read per device).</summary>
    public static List<PciNodeDevice> ReadAll(LibvirtConnection conn)
    {
        var result = new List<PciNodeDevice>();
        foreach (NodeDeviceHandle h in conn.ListAllNodeDevices(Libvirt.VIR_CONNECT_LIST_NODE_DEVICES_CAP_PCI_DEV))
        {
            using (h)
            {
                string xml = Libvirt.TakeString(Libvirt.virNodeDeviceGetXMLDesc(h, 0))
                    ?? throw LibvirtException.FromLastError("virNodeDeviceGetXMLDesc");
                if (NodeDeviceXml.ParsePci(xml) is PciNodeDevice d)
                {
                    result.Add(d);
                }
            }
        }
        return result;
    }

    /// <summary>The device at an address, or null when the host has none there.</summary>
    public static KvmHostDevice? Find(LibvirtConnection conn, PciAddress address)
    {
        string text = address.ToString();
        return List(conn).FirstOrDefault(d => d.PciAddress == text);
    }
}

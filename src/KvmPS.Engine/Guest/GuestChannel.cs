using System.Xml.Linq;

namespace KvmPS.Engine.Guest;

/// <summary>
/// The guest agent channel of a definition: <c>&lt;channel&gt;&lt;target type='virtio'
/// name='org.qemu.guest_agent.0' state='connected|disconnected'/&gt;</c>. The state attribute is
/// in the live XML of a running VM whose QEMU reports it (libvirt 1.2.x and later).
/// </summary>
public static class GuestChannel
{
    public const string AgentName = "org.qemu.guest_agent.0";

    /// <summary>Whether the definition has the channel, and the state of a live one (null when not reported).</summary>
    public static (bool Configured, bool? Connected) Read(string domainXml)
    {
        XElement root = SafeXml.Parse(domainXml);
        XElement? target = root.Element("devices")?.Elements("channel")
            .Select(c => c.Element("target"))
            .FirstOrDefault(t => t is not null && (string?)t.Attribute("name") == AgentName);
        if (target is null)
        {
            return (false, null);
        }
        return (string?)target.Attribute("state") switch
        {
            "connected" => (true, true),
            "disconnected" => (true, false),
            _ => (true, null),
        };
    }
}

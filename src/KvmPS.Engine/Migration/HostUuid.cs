namespace KvmPS.Engine.Migration;

/// <summary>The host UUID a daemon reports in its capabilities (libvirtd.conf host_uuid, else the machine's): two connections with the same one reach the same host.</summary>
public static class HostUuid
{
    public static string? Of(LibvirtConnection conn) =>
        (string?)SafeXml.Parse(conn.GetCapabilitiesXml()).Element("host")?.Element("uuid");

    public static bool Same(LibvirtConnection a, LibvirtConnection b) =>
        a.Uri == b.Uri || (Of(a) is string ua && ua.Length > 0 && ua == Of(b));
}

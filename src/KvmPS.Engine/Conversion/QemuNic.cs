namespace KvmPS.Engine.Conversion;

/// <summary>A NIC: a -netdev backend (user, tap, bridge) and the -device that uses it.</summary>
public sealed class QemuNic
{
    public string Id { get; set; } = "";
    /// <summary>user, tap or bridge.</summary>
    public string Backend { get; set; } = "user";
    /// <summary>The tap device (ifname=) or the bridge (br=).</summary>
    public string? Source { get; set; }
    public string? Model { get; set; }
    public string? Mac { get; set; }
    public bool Vhost { get; set; }
    public int? Queues { get; set; }
    public bool HasDevice { get; set; }
}

namespace KvmPS.Engine.Devices;

/// <summary>A network adapter to add to a VM: a libvirt network or a host bridge.</summary>
public sealed class NicSpec
{
    public string? Network { get; init; }
    public string? Bridge { get; init; }
    public string MacAddress { get; init; } = "";
    public KvmNetworkModel Model { get; init; } = KvmNetworkModel.Virtio;
    public KvmNetworkDriver? Driver { get; init; }
    public int? Queues { get; init; }
    public KvmLinkState? LinkState { get; init; }
}

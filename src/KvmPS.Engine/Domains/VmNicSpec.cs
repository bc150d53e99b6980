namespace KvmPS.Engine.Domains;

/// <summary>A network adapter of a new VM: a libvirt network or a host bridge.</summary>
public sealed class VmNicSpec
{
    public string? Network { get; init; }
    public string? Bridge { get; init; }
    public string? MacAddress { get; init; }
}

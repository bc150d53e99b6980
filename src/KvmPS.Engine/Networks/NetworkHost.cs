namespace KvmPS.Engine.Networks;

/// <summary>A static DHCP host: a MAC (IPv4) or DHCPv6 id bound to an address and/or a name.</summary>
public sealed record NetworkHost(string? Mac, string? Id, string? Ip, string? Name);

namespace KvmPS.Engine.Networks;

/// <summary>A network that already exists, as far as conflicts go.</summary>
public sealed record ExistingNetwork(string Name, string? BridgeName, IReadOnlyList<IpSubnet> Subnets);

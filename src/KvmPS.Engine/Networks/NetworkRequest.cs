namespace KvmPS.Engine.Networks;

/// <summary>What New-KvmNetwork was asked for, as typed (nothing validated yet).</summary>
public sealed record NetworkRequest
{
    public string Name { get; init; } = "";

    /// <summary>Null: Bridge when a host bridge is given, else Nat.</summary>
    public KvmNetworkMode? Mode { get; init; }

    public IReadOnlyList<string> Subnets { get; init; } = Array.Empty<string>();

    public IReadOnlyList<string> DhcpStarts { get; init; } = Array.Empty<string>();

    public IReadOnlyList<string> DhcpEnds { get; init; } = Array.Empty<string>();

    public bool NoDhcp { get; init; }

    public string? BridgeName { get; init; }

    public string? HostBridge { get; init; }

    public string? DnsDomain { get; init; }
}

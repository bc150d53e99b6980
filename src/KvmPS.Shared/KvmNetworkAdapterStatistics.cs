namespace KvmPS;

/// <summary>One network adapter of a VM in a statistics sample (as the host sees its interface: rx is what the guest received).</summary>
public sealed class KvmNetworkAdapterStatistics
{
    /// <summary>Host-side interface name (vnet0, ...).</summary>
    public string Name { get; internal init; } = "";

    /// <summary>Bytes received by the guest.</summary>
    public ulong RxBytes { get; internal init; }

    /// <summary>Bytes sent by the guest.</summary>
    public ulong TxBytes { get; internal init; }

    /// <summary>Packets received.</summary>
    public ulong RxPackets { get; internal init; }

    /// <summary>Packets sent.</summary>
    public ulong TxPackets { get; internal init; }

    /// <summary>Receive errors.</summary>
    public ulong RxErrors { get; internal init; }

    /// <summary>Send errors.</summary>
    public ulong TxErrors { get; internal init; }

    /// <summary>Received packets dropped.</summary>
    public ulong RxDrops { get; internal init; }

    /// <summary>Sent packets dropped.</summary>
    public ulong TxDrops { get; internal init; }

    /// <summary>Bytes received per second between the two samples; null for a single sample.</summary>
    public double? RxBytesPerSec { get; internal init; }

    /// <summary>Bytes sent per second between the two samples; null for a single sample.</summary>
    public double? TxBytesPerSec { get; internal init; }
}

namespace KvmPS;

/// <summary>Device model of a network adapter.</summary>
public enum KvmNetworkModel
{
    /// <summary>virtio-net (paravirtualized).</summary>
    Virtio,
    /// <summary>Intel 82574 (PCI Express).</summary>
    E1000e,
    /// <summary>Intel 82540EM.</summary>
    E1000,
    /// <summary>Realtek RTL8139.</summary>
    Rtl8139,
}

namespace KvmPS;

/// <summary>Host backend of a virtio network adapter.</summary>
public enum KvmNetworkDriver
{
    /// <summary>vhost-net: the packets are handled in the host kernel.</summary>
    Vhost,
    /// <summary>QEMU's own user-space backend.</summary>
    Qemu,
}

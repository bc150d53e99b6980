namespace KvmPS;

/// <summary>An open connection to a libvirt host, as returned by Connect-KvmHost and Get-KvmConnection.</summary>
public sealed class KvmConnection
{
    /// <summary>The URI libvirt reports for the connection (canonical form, e.g. qemu:///system).</summary>
    public string Uri { get; internal init; } = "";

    /// <summary>The URI the connection was requested with; the key it is cached under.</summary>
    public string RequestedUri { get; internal init; } = "";

    /// <summary>Host name of the hypervisor host.</summary>
    public string Hostname { get; internal init; } = "";

    /// <summary>libvirt's driver name for the hypervisor (QEMU, Test, ...).</summary>
    public string HypervisorType { get; internal init; } = "";

    /// <summary>Version of the hypervisor (for QEMU, the QEMU version).</summary>
    public Version? HypervisorVersion { get; internal init; }

    /// <summary>Version of libvirt on the host side of the connection.</summary>
    public Version? LibvirtVersion { get; internal init; }

    /// <summary>Whether the connection was alive when this object was made.</summary>
    public bool IsAlive { get; internal init; }

    /// <summary>Whether this is the session's default connection (set by Connect-KvmHost).</summary>
    public bool IsDefault { get; internal init; }
}

namespace KvmPS;

/// <summary>How the guest CPU is modelled (libvirt's cpu mode).</summary>
public enum KvmCpuMode
{
    /// <summary>The host CPU exactly as it is (host-passthrough): fastest, ties the VM to identical hosts.</summary>
    HostPassthrough,
    /// <summary>The closest named model to the host CPU plus its extra features (host-model).</summary>
    HostModel,
    /// <summary>A named CPU model (custom), given with -Model.</summary>
    Custom,
    /// <summary>Everything the hypervisor can offer (maximum).</summary>
    Maximum,
}

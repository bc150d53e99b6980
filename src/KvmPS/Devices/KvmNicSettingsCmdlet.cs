using System.Management.Automation;

namespace KvmPS.Commands;

/// <summary>The network adapter settings Add-KvmNetworkAdapter and Set-KvmNetworkAdapter share.</summary>
public abstract class KvmNicSettingsCmdlet : KvmDeviceCmdlet
{
    /// <summary>libvirt network to connect to.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string? Network { get; set; }

    /// <summary>Host bridge to connect to (instead of a libvirt network).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(BridgeCompleter))]
    public string? Bridge { get; set; }

    /// <summary>Device model.</summary>
    [Parameter]
    public KvmNetworkModel Model { get; set; }

    /// <summary>Backend of a virtio adapter: Vhost (in the host kernel) or Qemu.</summary>
    [Parameter]
    public KvmNetworkDriver Driver { get; set; }

    /// <summary>Number of queue pairs (multiqueue virtio-net); at most the VM's vCPU count; 1 is a single queue.</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int Queues { get; set; }

    /// <summary>Link state the guest sees: Down unplugs the virtual cable.</summary>
    [Parameter]
    public KvmLinkState LinkState { get; set; }

    /// <summary>Returns the VM after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected KvmNetworkDriver? GivenDriver => IsBound(nameof(Driver)) ? Driver : null;

    protected int? GivenQueues => IsBound(nameof(Queues)) ? Queues : null;

    protected KvmLinkState? GivenLinkState => IsBound(nameof(LinkState)) ? LinkState : null;
}

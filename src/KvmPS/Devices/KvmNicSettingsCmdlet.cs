using System.Management.Automation;
using KvmPS.Engine;

namespace KvmPS.Commands;

/// <summary>The network adapter settings Add-KvmNetworkAdapter and Set-KvmNetworkAdapter share.</summary>
public abstract class KvmNicSettingsCmdlet : KvmDeviceCmdlet
{
    /// <summary>libvirt network to connect to (its exact name).</summary>
    [Parameter]
    [Alias("SwitchName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string? Network { get; set; }

    /// <summary>A network from Get-KvmNetwork (through the pipeline), instead of -Network: that exact network, by UUID.</summary>
    [Parameter(ValueFromPipeline = true)]
    [KvmKind(typeof(KvmNetwork), typeof(KvmVM))]
    public KvmNetwork? NetworkObject { get; set; }

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

    /// <summary>
    /// Takes a network object as the adapter's network: found by UUID on the VM's host, its exact
    /// name then used as -Network. Writes an error and returns false when it is given with -Network
    /// or -Bridge, or is not on that host.
    /// </summary>
    protected bool UseNetworkObject(LibvirtConnection conn, string vm)
    {
        if (NetworkObject is null)
        {
            // A network taken from the previous pipeline object is not this one's.
            if (_networkFromObject)
            {
                Network = null;
                _networkFromObject = false;
            }
            return true;
        }
        if (IsBound(nameof(Network)) || IsBound(nameof(Bridge)))
        {
            Invalid($"The network '{NetworkObject.Name}' was given together with {(IsBound(nameof(Bridge)) ? "-Bridge" : "-Network")}: give one.", "NetworkGivenTwice", NetworkObject.Name);
            return false;
        }
        if (PipedObjects.NetworkName(conn, NetworkObject, out ErrorRecord? gone) is not string network)
        {
            WriteError(gone!);
            return false;
        }
        Network = network;
        _networkFromObject = true;
        return true;
    }

    private bool _networkFromObject;

    protected KvmNetworkDriver? GivenDriver => IsBound(nameof(Driver)) ? Driver : null;

    protected int? GivenQueues => IsBound(nameof(Queues)) ? Queues : null;

    protected KvmLinkState? GivenLinkState => IsBound(nameof(LinkState)) ? LinkState : null;
}

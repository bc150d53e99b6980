using System.Management.Automation;
using System.Xml.Linq;
using KvmPS.Engine;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Adds a network adapter to VMs: hot-plugged when the VM runs, and in its configuration.</summary>
[Cmdlet(VerbsCommon.Add, "KvmNetworkAdapter", SupportsShouldProcess = true, DefaultParameterSetName = "Name")]
[OutputType(typeof(KvmVM))]
public sealed class AddKvmNetworkAdapterCommand : KvmDeviceCmdlet
{
    /// <summary>libvirt network to connect to; 'default' when neither -Network nor -Bridge is given.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Network { get; set; }

    /// <summary>Host bridge to connect to (instead of a libvirt network).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Bridge { get; set; }

    /// <summary>MAC address; a free 52:54:00:xx:xx:xx address when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MacAddress { get; set; }

    /// <summary>Device model.</summary>
    [Parameter]
    public KvmNetworkModel Model { get; set; } = KvmNetworkModel.Virtio;

    /// <summary>Backend of a virtio adapter: Vhost (in the host kernel) or Qemu.</summary>
    [Parameter]
    public KvmNetworkDriver Driver { get; set; }

    /// <summary>Number of queue pairs (multiqueue virtio-net); at most the VM's vCPU count.</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int Queues { get; set; }

    /// <summary>Link state the guest sees at first.</summary>
    [Parameter]
    public KvmLinkState LinkState { get; set; }

    /// <summary>Returns the VM after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override string FailureErrorId => "AddNetworkAdapterFailed";

    protected override void ProcessDevice(LibvirtConnection conn, DomainHandle h, string name)
    {
        if (Network is not null && Bridge is not null)
        {
            Invalid("Give -Network (a libvirt network) or -Bridge (a host bridge), not both.", "ConflictingSource", name);
            return;
        }
        if (MacAddress is not null && !HostDomains.IsUnicastMac(MacAddress))
        {
            Invalid($"'{MacAddress}' is not a unicast MAC address (xx:xx:xx:xx:xx:xx).", "InvalidMacAddress", MacAddress);
            return;
        }
        if (Has(nameof(Driver)) && Model != KvmNetworkModel.Virtio)
        {
            Invalid($"-Driver selects the backend of a virtio adapter; model {Model} has none.", "DriverNeedsVirtio", name);
            return;
        }
        if (Has(nameof(Queues)) && Queues > 1 && Model != KvmNetworkModel.Virtio)
        {
            Invalid($"Multiqueue (-Queues {Queues}) needs -Model Virtio.", "QueuesNeedVirtio", name);
            return;
        }
        var (config, live) = DeviceService.ReadDefinitions(h);
        XElement definition = config ?? live!;
        if (Has(nameof(Queues)) && Queues > MaxVCpus(definition))
        {
            Invalid($"-Queues {Queues} is more than VM '{name}' has vCPUs ({MaxVCpus(definition)}): a queue pair per vCPU is the most that helps.", "TooManyQueues", name);
            return;
        }
        string? network = Bridge is null ? Network ?? "default" : null;
        if (network is not null)
        {
            try
            {
                conn.LookupNetwork(network).Dispose();
            }
            catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoNetwork)
            {
                NotFound($"No libvirt network named '{network}' on {conn.Uri}.", "NetworkNotFound", network);
                return;
            }
        }
        HostDomains host = HostDomains.Read(conn);
        string mac;
        if (MacAddress is not null)
        {
            mac = MacAddress.ToLowerInvariant();
            var users = host.UsersOfMac(mac).ToList();
            if (users.Count > 0)
            {
                InUse($"MAC address {mac} is already used by VM(s) {string.Join(", ", users)}.", "MacAddressInUse", mac);
                return;
            }
        }
        else
        {
            mac = host.NewMacAddress();
        }

        XElement nic = DeviceXml.BuildNic(new NicSpec
        {
            Network = network,
            Bridge = Bridge,
            MacAddress = mac,
            Model = Model,
            Driver = Has(nameof(Driver)) ? Driver : null,
            Queues = Has(nameof(Queues)) ? Queues : null,
            LinkState = Has(nameof(LinkState)) ? LinkState : null,
        });
        string where = Bridge is not null ? $"bridge '{Bridge}'" : $"network '{network}'";
        if (!ShouldProcess(name, $"Add network adapter {mac} ({Model.ToString().ToLowerInvariant()}) on {where}"))
        {
            return;
        }
        WriteDebug(nic.ToString());
        WarnIfNoVhost(conn, nic, name);
        DeviceChangeResult r = DeviceService.Add(conn, h, new[] { nic });
        ReportAdd(name, $"network adapter {mac}", r);
        if (PassThru)
        {
            WriteVM(conn, h);
        }
    }
}

using System.Management.Automation;
using System.Xml.Linq;
using KvmPS.Engine;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Adds a network adapter to VMs: hot-plugged when the VM runs, and in its configuration.</summary>
[Cmdlet(VerbsCommon.Add, "KvmNetworkAdapter", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVM))]
public sealed class AddKvmNetworkAdapterCommand : KvmNicSettingsCmdlet
{
    /// <summary>MAC address (52:54:00:aa:bb:cc, 52-54-00-aa-bb-cc or 525400aabbcc); a free 52:54:00:xx:xx:xx address when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [MacAddressArgument]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? MacAddress { get; set; }

    /// <summary>Uses a -MacAddress that another VM of the host already has (refused without it).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override string FailureErrorId => "AddNetworkAdapterFailed";

    protected override void ProcessDevice(LibvirtConnection conn, DomainHandle h, string name)
    {
        if (MacAddress is not null && !HostDomains.IsUnicastMac(MacAddress))
        {
            Invalid($"'{MacAddress}' is not a unicast MAC address ({MacAddressText.Forms}).", "InvalidMacAddress", MacAddress);
            return;
        }
        if (!UseNetworkObject(conn, name))
        {
            return;
        }
        var (config, live) = DeviceService.ReadDefinitions(h);
        string? network = Bridge is null ? Network ?? "default" : Network;
        if (!CheckNic(conn, name, name, network, Bridge, DeviceXml.Value(Model), IsBound(nameof(Driver)),
                IsBound(nameof(Queues)) ? Queues : 1, IsBound(nameof(Queues)), MaxVCpus(config ?? live!)))
        {
            return;
        }
        HostDomains host = HostDomains.Read(conn);
        string mac;
        if (MacAddress is not null)
        {
            mac = MacAddress.ToLowerInvariant();
            if (MacAddressCheck.Check(host, new[] { mac }, null, Force) is { } inUse)
            {
                WriteError(ErrorHelper.Refusal(inUse.Kind, inUse.Message, inUse.ErrorId, inUse.Target ?? mac));
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
            Driver = GivenDriver,
            Queues = GivenQueues,
            LinkState = GivenLinkState,
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

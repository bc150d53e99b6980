using System.Management.Automation;
using System.Xml.Linq;
using KvmPS.Engine;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>
/// Changes a network adapter of VMs, found by its MAC address. Link state and network or bridge
/// change in the running VM too; model, backend and queues take effect at the next start.
/// </summary>
[Cmdlet(VerbsCommon.Set, "KvmNetworkAdapter", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVM))]
public sealed class SetKvmNetworkAdapterCommand : KvmNicSettingsCmdlet
{
    /// <summary>MAC address of the adapter to change.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MacAddressCompleter))]
    public string MacAddress { get; set; } = "";

    protected override string FailureErrorId => "SetNetworkAdapterFailed";

    protected override void ProcessDevice(LibvirtConnection conn, DomainHandle h, string name)
    {
        var (config, live) = DeviceService.ReadDefinitions(h);
        XElement? current = FindDevice(config, live, d => DeviceXml.FindNic(d, MacAddress));
        if (current is null)
        {
            NotFound($"VM '{name}' has no network adapter with MAC address {MacAddress}.", "NetworkAdapterNotFound", MacAddress);
            return;
        }
        string model = IsBound(nameof(Model)) ? DeviceXml.Value(Model) : (string?)current.Element("model")?.Attribute("type") ?? "virtio";
        int queues = IsBound(nameof(Queues)) ? Queues
            : int.TryParse((string?)current.Element("driver")?.Attribute("queues"), out int q) ? q : 1;
        if (!CheckNic(conn, name, MacAddress, Network, Bridge, model, IsBound(nameof(Driver)), queues, IsBound(nameof(Queues)), MaxVCpus(config ?? live!)))
        {
            return;
        }
        bool restartChanges = IsBound(nameof(Model)) || IsBound(nameof(Driver)) || IsBound(nameof(Queues));
        bool liveChanges = Network is not null || Bridge is not null || IsBound(nameof(LinkState));
        if (live is not null && config is null && restartChanges)
        {
            WriteError(ErrorHelper.Create(new InvalidOperationException(
                $"VM '{name}' is transient: its model, backend and queues cannot change while it runs."),
                "TransientVM", ErrorCategory.InvalidOperation, name));
            return;
        }

        var changes = new List<string>();
        if (Network is not null) changes.Add($"network '{Network}'");
        if (Bridge is not null) changes.Add($"bridge '{Bridge}'");
        if (IsBound(nameof(Model))) changes.Add($"model {Model}");
        if (IsBound(nameof(Driver))) changes.Add($"driver {Driver}");
        if (IsBound(nameof(Queues))) changes.Add($"{Queues} queue(s)");
        if (IsBound(nameof(LinkState))) changes.Add($"link {LinkState}");
        if (changes.Count > 0 && ShouldProcess(name, $"Set network adapter {MacAddress}: {string.Join(", ", changes)}"))
        {
            void ApplyLive(XElement nic)
            {
                if (Network is not null || Bridge is not null)
                {
                    DeviceXml.SetNicSource(nic, Network, Bridge);
                }
                if (IsBound(nameof(LinkState)))
                {
                    DeviceXml.SetLinkState(nic, LinkState);
                }
            }
            void ApplyAll(XElement nic)
            {
                ApplyLive(nic);
                if (IsBound(nameof(Model)))
                {
                    DeviceXml.SetNicModel(nic, Model);
                }
                DeviceXml.SetNicDriver(nic, GivenDriver, GivenQueues);
            }
            DeviceChangeResult? r = DeviceService.Change(conn, h, d => DeviceXml.FindNic(d, MacAddress), ApplyAll, liveChanges ? ApplyLive : null);
            if (IsBound(nameof(Driver)) || IsBound(nameof(Queues)))
            {
                var (after, _) = DeviceService.ReadDefinitions(h);
                if (after is not null && DeviceXml.FindNic(after, MacAddress) is XElement changed)
                {
                    WarnIfNoVhost(conn, changed, name);
                }
            }
            if (r is not null)
            {
                ReportChange(name, $"network adapter {MacAddress}", r, restartChanges ? $"network adapter {MacAddress} changed live; its new model, driver or queues take effect at the next start" : null);
            }
        }
        if (PassThru)
        {
            WriteVM(conn, h);
        }
    }
}

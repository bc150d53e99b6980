using System.Management.Automation;
using System.Xml.Linq;
using KvmPS.Engine;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>
/// Changes a network adapter of VMs, found by its MAC address (or the VM's only one when it is
/// left out). Link state and network or bridge
/// change in the running VM too; model, backend and queues take effect at the next start.
/// </summary>
[Cmdlet(VerbsCommon.Set, "KvmNetworkAdapter", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVM))]
public sealed class SetKvmNetworkAdapterCommand : KvmNicSettingsCmdlet
{
    /// <summary>MAC address of the adapter to change; may be left out when the VM has only one.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [MacAddressArgument]
    [ArgumentCompleter(typeof(MacAddressCompleter))]
    public string? MacAddress { get; set; }

    protected override string FailureErrorId => "SetNetworkAdapterFailed";

    protected override void ProcessDevice(LibvirtConnection conn, DomainHandle h, string name)
    {
        if ((MacAddress is not null && !CheckMac(MacAddress)) || !UseNetworkObject(conn, name))
        {
            return;
        }
        var (config, live) = DeviceService.ReadDefinitions(h);
        string? mac = MacAddress;
        if (mac is null)
        {
            var (only, refusal) = DeviceChoice.OnlyNic(name, config, live);
            if (refusal is not null)
            {
                WriteError(ErrorHelper.Refusal(refusal.Kind, refusal.Message, refusal.ErrorId, refusal.Target ?? name));
                return;
            }
            mac = only!;
        }
        XElement? current = FindDevice(config, live, d => DeviceXml.FindNic(d, mac));
        if (current is null)
        {
            NotFound($"VM '{name}' has no network adapter with MAC address {mac}.", "NetworkAdapterNotFound", mac);
            return;
        }
        string model = IsBound(nameof(Model)) ? DeviceXml.Value(Model) : (string?)current.Element("model")?.Attribute("type") ?? "virtio";
        int queues = IsBound(nameof(Queues)) ? Queues
            : int.TryParse((string?)current.Element("driver")?.Attribute("queues"), out int q) ? q : 1;
        if (!CheckNic(conn, name, mac, Network, Bridge, model, IsBound(nameof(Driver)), queues, IsBound(nameof(Queues)), MaxVCpus(config ?? live!)))
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
        if (changes.Count > 0 && ShouldProcess(name, $"Set network adapter {mac}: {string.Join(", ", changes)}"))
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
            DeviceChangeResult? r = DeviceService.Change(conn, h, d => DeviceXml.FindNic(d, mac), ApplyAll, liveChanges ? ApplyLive : null);
            if (IsBound(nameof(Driver)) || IsBound(nameof(Queues)))
            {
                var (after, _) = DeviceService.ReadDefinitions(h);
                if (after is not null && DeviceXml.FindNic(after, mac) is XElement changed)
                {
                    WarnIfNoVhost(conn, changed, name);
                }
            }
            if (r is not null)
            {
                ReportChange(name, $"network adapter {mac}", r, restartChanges ? $"network adapter {mac} changed live; its new model, driver or queues take effect at the next start" : null);
            }
        }
        if (PassThru)
        {
            WriteVM(conn, h);
        }
    }
}

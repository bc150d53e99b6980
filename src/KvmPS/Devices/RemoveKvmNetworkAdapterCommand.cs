using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Removes a network adapter, found by its MAC address, from VMs: unplugged when the VM runs, and from its configuration.</summary>
[Cmdlet(VerbsCommon.Remove, "KvmNetworkAdapter", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveKvmNetworkAdapterCommand : KvmDeviceCmdlet
{
    /// <summary>MAC address of the adapter to remove.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [MacAddressArgument]
    [ArgumentCompleter(typeof(MacAddressCompleter))]
    public string MacAddress { get; set; } = "";

    protected override string FailureErrorId => "RemoveNetworkAdapterFailed";

    protected override void ProcessDevice(LibvirtConnection conn, DomainHandle h, string name)
    {
        if (!CheckMac(MacAddress))
        {
            return;
        }
        var (config, live) = DeviceService.ReadDefinitions(h);
        if (FindDevice(config, live, d => DeviceXml.FindNic(d, MacAddress)) is null)
        {
            NotFound($"VM '{name}' has no network adapter with MAC address {MacAddress}.", "NetworkAdapterNotFound", MacAddress);
            return;
        }
        if (!ShouldProcess(name, $"Remove network adapter {MacAddress}"))
        {
            return;
        }
        DeviceChangeResult? r = DeviceService.Remove(conn, h, d => DeviceXml.FindNic(d, MacAddress));
        if (r is not null)
        {
            ReportRemove(name, $"network adapter {MacAddress}", r);
        }
    }
}

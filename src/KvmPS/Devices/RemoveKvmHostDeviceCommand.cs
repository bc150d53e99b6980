using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Native;
using PciAddr = KvmPS.Engine.Devices.PciAddress;

namespace KvmPS.Commands;

/// <summary>Takes passed-through PCI devices away from VMs: unplugged when the VM runs, and from its configuration.</summary>
[Cmdlet(VerbsCommon.Remove, "KvmHostDevice", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveKvmHostDeviceCommand : KvmDeviceCmdlet
{
    /// <summary>PCI address(es) of the host device(s) to take away, e.g. 0000:01:00.0.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PciAddressCompleter))]
    public string[] PciAddress { get; set; } = Array.Empty<string>();

    protected override string FailureErrorId => "RemoveHostDeviceFailed";

    protected override void ProcessDevice(LibvirtConnection conn, DomainHandle h, string name)
    {
        foreach (string given in PciAddress)
        {
            if (!TryParsePci(given, out PciAddr address))
            {
                continue;
            }
            var (config, live) = DeviceService.ReadDefinitions(h);
            if (FindDevice(config, live, d => DeviceXml.FindPciHostdev(d, address)) is null)
            {
                NotFound($"VM '{name}' has no host device {address}.", "HostDeviceNotAssigned", given);
                continue;
            }
            if (!ShouldProcess(name, $"Remove host device {address}"))
            {
                continue;
            }
            DeviceChangeResult? r = DeviceService.Remove(conn, h, d => DeviceXml.FindPciHostdev(d, address));
            if (r is not null)
            {
                ReportRemove(name, $"host device {address}", r);
            }
        }
    }
}

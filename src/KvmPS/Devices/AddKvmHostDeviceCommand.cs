using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Native;
using PciAddr = KvmPS.Engine.Devices.PciAddress;

namespace KvmPS.Commands;

/// <summary>Passes host PCI devices through to VMs (vfio, managed): libvirt takes each from its host driver when the VM starts and gives it back when it stops.</summary>
[Cmdlet(VerbsCommon.Add, "KvmHostDevice", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(KvmVM))]
public sealed class AddKvmHostDeviceCommand : KvmDeviceCmdlet
{
    /// <summary>PCI address(es) of the host device(s), e.g. 0000:01:00.0; KvmHostDevice objects bind by property name.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PciAddressCompleter))]
    public string[] PciAddress { get; set; } = Array.Empty<string>();

    /// <summary>Passes a device through although the host uses it (an interface up, a disk mounted), or on a remote host where that cannot be checked.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Returns the VM after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override string FailureErrorId => "AddHostDeviceFailed";

    // Checked once all input is in: a GPU and its audio function may arrive as two pipeline records.
    private readonly List<(string Uri, string VM, KvmHostDevice Device, List<KvmHostDevice> Host)> _added = new();

    protected override void ProcessDevice(LibvirtConnection conn, DomainHandle h, string name)
    {
        List<KvmHostDevice>? host = null;
        HostDomains? domains = null;
        var fs = HostDeviceUseCheck.FileSystemFor(conn.Uri);
        foreach (string given in PciAddress)
        {
            if (!TryParsePci(given, out PciAddr address))
            {
                continue;
            }
            host ??= HostDeviceService.List(conn);
            KvmHostDevice? device = host.FirstOrDefault(d => d.PciAddress == address.ToString());
            if (device is null)
            {
                NotFound($"The host {conn.Uri} has no PCI device at {address}.", "HostDeviceNotFound", given);
                continue;
            }
            if (device.IsHostCritical)
            {
                Invalid($"{address} ({device.ClassName}) is a bridge or another device the host needs; it cannot be passed through.", "HostCriticalDevice", given);
                continue;
            }
            if (device.IommuGroup is not null && !device.Assignable)
            {
                var critical = device.IommuGroupMembers.Where(m => host.FirstOrDefault(d => d.PciAddress == m) is { IsHostCritical: true } c && !HostDeviceUseCheck.IsPciBridge(c));
                Invalid($"{address} shares IOMMU group {device.IommuGroup} with {string.Join(", ", critical)}, which the host needs: vfio takes whole groups, so it cannot be passed through.", "GroupNotAssignable", given);
                continue;
            }
            if (HostDeviceUseCheck.Check(conn.Uri, fs, device, host, Force) is { } use)
            {
                WriteError(ErrorHelper.Refusal(use.Kind, use.Message, use.ErrorId, given));
                continue;
            }
            var (config, live) = DeviceService.ReadDefinitions(h);
            if (FindDevice(config, live, d => DeviceXml.FindPciHostdev(d, address)) is not null)
            {
                InUse($"VM '{name}' already has host device {address}.", "HostDeviceAlreadyAssigned", given);
                continue;
            }
            if (device.IommuGroup is null)
            {
                WriteWarning($"{address} is in no IOMMU group: the host's IOMMU is off or missing (enable VT-d/AMD-Vi in the firmware and boot with intel_iommu=on or amd_iommu=on). VM '{name}' cannot start with it until then.");
            }
            domains ??= HostDomains.Read(conn);
            var others = domains.UsersOfHostDevice(address, name).ToList();
            if (others.Count > 0)
            {
                WriteWarning($"{address} is also given to VM(s) {string.Join(", ", others)}: only one running VM can have it.");
            }
            string label = $"host device {address}{(device.ProductName is null ? "" : $" ({device.ProductName})")}";
            if (!ShouldProcess(name, $"Add {label} (vfio, managed)"))
            {
                continue;
            }
            DeviceChangeResult r = DeviceService.Add(conn, h, new[] { DeviceXml.BuildPciHostdev(address) });
            ReportAdd(name, label, r);
            _added.Add((conn.Uri, name, device, host));
        }
        if (PassThru)
        {
            WriteVM(conn, h);
        }
    }

    protected override void EndProcessing()
    {
        // vfio takes whole IOMMU groups: every endpoint of the group must leave the host.
        foreach (var group in _added.GroupBy(a => (a.Uri, a.VM)))
        {
            var given = group.Select(a => a.Device.PciAddress).ToHashSet();
            try
            {
                using var h = GetConnection(group.Key.Uri).LookupDomain(group.Key.VM);
                var (config, live) = DeviceService.ReadDefinitions(h);
                given.UnionWith(DeviceXml.PciHostdevAddresses(config ?? live!).Select(a => a.ToString()));
            }
            catch (Exception e) when (e is LibvirtException or KvmConnectionLostException)
            {
                // Only a warning depends on this look: skip it rather than fail the command.
                continue;
            }
            foreach (var (_, vm, device, host) in group)
            {
                var missing = device.IommuGroupMembers
                    .Where(m => !given.Contains(m))
                    .Where(m => host.FirstOrDefault(d => d.PciAddress == m) is not { } member || !HostDeviceUseCheck.IsPciBridge(member))
                    .ToList();
                if (missing.Count > 0)
                {
                    WriteWarning($"IOMMU group {device.IommuGroup} of {device.PciAddress} also holds {string.Join(", ", missing)}: vfio needs every device of the group away from the host, so give VM '{vm}' those too (or bind them to vfio-pci) or it cannot start.");
                }
            }
        }
        base.EndProcessing();
    }
}

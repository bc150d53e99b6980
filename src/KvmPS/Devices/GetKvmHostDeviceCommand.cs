using System.Management.Automation;
using KvmPS.Engine.Devices;

namespace KvmPS.Commands;

/// <summary>Lists the host's PCI devices with their IOMMU groups, drivers and SR-IOV functions: the candidates for passthrough.</summary>
[Cmdlet(VerbsCommon.Get, "KvmHostDevice")]
[OutputType(typeof(KvmHostDevice))]
public sealed class GetKvmHostDeviceCommand : KvmCmdlet
{
    /// <summary>Only the devices at these PCI addresses (0000:01:00.0 or 01:00.0); wildcards allowed.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PciAddressCompleter))]
    public string[]? PciAddress { get; set; }

    /// <summary>Only the devices vfio could take: in an IOMMU group, and neither they nor their group host-critical.</summary>
    [Parameter]
    public SwitchParameter Assignable { get; set; }

    protected override void ProcessRecordCore()
    {
        var literals = new List<(string Given, string Canonical)>();
        var patterns = new List<WildcardPattern>();
        foreach (string a in PciAddress ?? Array.Empty<string>())
        {
            if (WildcardPattern.ContainsWildcardCharacters(a))
            {
                patterns.Add(WildcardPattern.Get(a, WildcardOptions.IgnoreCase));
            }
            else if (Engine.Devices.PciAddress.TryParse(a, out var parsed))
            {
                literals.Add((a, parsed.ToString()));
            }
            else
            {
                WriteError(ErrorHelper.InvalidArgument($"'{a}' is not a PCI address (domain:bus:slot.function, e.g. 0000:01:00.0).", "InvalidPciAddress", a));
            }
        }
        if (PciAddress is { Length: > 0 } && literals.Count == 0 && patterns.Count == 0)
        {
            return;
        }

        List<KvmHostDevice> devices = HostDeviceService.List(GetConnection());
        bool all = PciAddress is not { Length: > 0 };
        foreach (KvmHostDevice d in devices)
        {
            // Patterns match the full address and lspci's short form (without domain 0000).
            string shortForm = d.PciAddress.StartsWith("0000:", StringComparison.Ordinal) ? d.PciAddress[5..] : d.PciAddress;
            bool wanted = all || literals.Any(l => l.Canonical == d.PciAddress)
                || patterns.Any(p => p.IsMatch(d.PciAddress) || p.IsMatch(shortForm));
            if (wanted && (!Assignable || d.Assignable))
            {
                WriteObject(d);
            }
        }
        foreach (var (given, canonical) in literals)
        {
            if (!devices.Any(d => d.PciAddress == canonical))
            {
                WriteError(ErrorHelper.Create(new ItemNotFoundException($"The host {EffectiveUri} has no PCI device at {canonical}."),
                    "HostDeviceNotFound", ErrorCategory.ObjectNotFound, given));
            }
        }
    }
}

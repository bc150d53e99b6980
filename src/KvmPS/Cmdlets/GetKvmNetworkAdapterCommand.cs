using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Lists the network adapters of VMs.</summary>
[Cmdlet(VerbsCommon.Get, "KvmNetworkAdapter", DefaultParameterSetName = "Name")]
[OutputType(typeof(KvmNetworkAdapter))]
public sealed class GetKvmNetworkAdapterCommand : KvmDeviceCmdlet
{
    /// <summary>Only the adapters with these MAC addresses; wildcards allowed.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? MacAddress { get; set; }

    /// <summary>Reads the persistent definition (what the next start uses) instead of the running VM.</summary>
    [Parameter]
    public SwitchParameter Config { get; set; }

    protected override void ProcessDevice(LibvirtConnection conn, DomainHandle h, string name)
    {
        KvmNetworkAdapter[] nics = ReadVM(ReadForGet(h, Config), conn.Uri).NetworkAdapters;
        if (MacAddress is not { Length: > 0 })
        {
            WriteObject(nics, enumerateCollection: true);
            return;
        }
        var patterns = MacAddress.Select(m => WildcardPattern.Get(m, WildcardOptions.IgnoreCase)).ToList();
        foreach (KvmNetworkAdapter nic in nics.Where(n => n.MacAddress is not null && patterns.Any(p => p.IsMatch(n.MacAddress))))
        {
            WriteObject(nic);
        }
        foreach (string mac in MacAddress.Where(m => !WildcardPattern.ContainsWildcardCharacters(m)))
        {
            if (!nics.Any(n => string.Equals(n.MacAddress, mac, StringComparison.OrdinalIgnoreCase)))
            {
                NotFound($"VM '{name}' has no network adapter with MAC address {mac}.", "NetworkAdapterNotFound", mac);
            }
        }
    }
}

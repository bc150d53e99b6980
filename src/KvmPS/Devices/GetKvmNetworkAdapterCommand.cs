using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Lists the network adapters of VMs.</summary>
[Cmdlet(VerbsCommon.Get, "KvmNetworkAdapter")]
[OutputType(typeof(KvmNetworkAdapter))]
public sealed class GetKvmNetworkAdapterCommand : KvmDeviceCmdlet
{
    /// <summary>Only the adapters with these MAC addresses; wildcards allowed.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [MacAddressArgument]
    [ArgumentCompleter(typeof(MacAddressCompleter))]
    public string[]? MacAddress { get; set; }

    /// <summary>Reads the persistent definition (what the next start uses) instead of the running VM.</summary>
    [Parameter]
    public SwitchParameter Config { get; set; }

    protected override void ProcessDevice(LibvirtConnection conn, DomainHandle h, string name)
    {
        KvmNetworkAdapter[] nics = ReadVM(ReadForGet(h, Config), conn.Uri).NetworkAdapters;
        if (!Config)
        {
            nics = GuestAddresses.Fill(h, nics);
        }
        WriteMatching(nics, MacAddress, n => n.MacAddress, m => $"VM '{name}' has no network adapter with MAC address {m}.", "NetworkAdapterNotFound");
    }
}

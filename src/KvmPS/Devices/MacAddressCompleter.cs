namespace KvmPS.Commands;

/// <summary>Completes the MAC addresses of the VM's network adapters.</summary>
public sealed class MacAddressCompleter : VMDeviceCompleter
{
    private protected override IEnumerable<string> Devices(KvmVM vm) =>
        vm.NetworkAdapters.Select(n => n.MacAddress).OfType<string>();
}

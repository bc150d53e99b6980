namespace KvmPS.Engine.Devices;

/// <summary>
/// The one rule for a MAC address a cmdlet is about to give a VM (New-KvmVM -MacAddress,
/// Add-KvmNetworkAdapter -MacAddress, Import-KvmVM): no two adapters of one request share one,
/// and no other VM of the host has it, in its running or its persistent definition. Two VMs with
/// one MAC confuse the network (DHCP leases, bridges' forwarding tables) as soon as both run.
/// </summary>
public static class MacAddressCheck
{
    /// <summary>
    /// The first refusal for <paramref name="macs"/> on <paramref name="host"/>, or null.
    /// <paramref name="except"/> is the VM whose own adapters do not count (the one an import
    /// replaces); <paramref name="force"/> lets MACs other VMs have pass (a repeat within the
    /// request never does). Compares without regard to case.
    /// </summary>
    public static DeviceRefusal? Check(HostDomains host, IEnumerable<string> macs, string? except, bool force)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string mac in macs)
        {
            if (!seen.Add(mac))
            {
                return new DeviceRefusal($"MAC address {mac.ToLowerInvariant()} is given to more than one network adapter.",
                    "DuplicateMacAddress", KvmErrorKind.InvalidArgument, mac);
            }
            if (force)
            {
                continue;
            }
            var users = host.UsersOfMac(mac).Where(u => u != except).ToList();
            if (users.Count > 0)
            {
                return new DeviceRefusal(
                    $"MAC address {mac.ToLowerInvariant()} is already used by VM(s) {string.Join(", ", users)}. Give another one, leave it out for a free one, or use -Force if those VMs never run at the same time.",
                    "MacAddressInUse", KvmErrorKind.AlreadyExists, mac);
            }
        }
        return null;
    }
}

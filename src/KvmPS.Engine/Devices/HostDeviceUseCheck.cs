using KvmPS.Engine.HostChecks;

namespace KvmPS.Engine.Devices;

/// <summary>
/// Whether the host still uses a PCI device that is to be passed through: the device itself and,
/// because vfio takes a whole IOMMU group, every other endpoint of its group (see
/// <see cref="HostDeviceUsage"/>). The host's /sys and /proc tell, so only a local host can be
/// checked: for a host that is not this machine the answer is unknown and the caller is refused
/// until -Force says the user checked it there. The test driver's devices are not this machine's:
/// they are checked against a fixture tree when KVMPS_HOST_ROOT names one, and not at all otherwise.
/// </summary>
public static class HostDeviceUseCheck
{
    /// <summary>The file system to check a host's devices in, or null when there is none on this machine to read.</summary>
    public static IHostFileSystem? FileSystemFor(string uri)
    {
        HostFileSystem fs = HostFileSystem.FromEnvironment();
        if (uri.StartsWith("test:", StringComparison.OrdinalIgnoreCase))
        {
            return fs.IsLive ? null : fs;
        }
        return LibvirtConnection.IsLocalUri(uri) ? fs : null;
    }

    /// <summary>
    /// Refuses a device the host uses, or one whose use cannot be seen (a remote host), unless
    /// <paramref name="force"/>. <paramref name="hostDevices"/> are the host's PCI devices (for the group).
    /// </summary>
    public static DeviceRefusal? Check(string uri, IHostFileSystem? fs, KvmHostDevice device, IReadOnlyList<KvmHostDevice> hostDevices, bool force)
    {
        if (force)
        {
            return null;
        }
        string label = Label(device);
        if (fs is null)
        {
            if (uri.StartsWith("test:", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
            return new DeviceRefusal(
                $"Cannot tell whether host {uri} uses {label}: that is read from its own /sys and /proc, which KvmPS sees only on this machine. "
                + "Check on that host that no interface of the device is up and no disk under it is mounted, in swap or under LVM/md, then give -Force.",
                "HostDeviceUseUnknown", KvmErrorKind.InvalidOperation, device.PciAddress);
        }
        var uses = new List<string>();
        foreach (string use in HostDeviceUsage.Find(fs, device.PciAddress))
        {
            uses.Add(use);
        }
        foreach (string member in device.IommuGroupMembers.Where(m => m != device.PciAddress))
        {
            KvmHostDevice? other = hostDevices.FirstOrDefault(d => d.PciAddress == member);
            if (other is not null && IsPciBridge(other))
            {
                continue;
            }
            foreach (string use in HostDeviceUsage.Find(fs, member))
            {
                uses.Add($"{(other is null ? member : Label(other))} in its IOMMU group (vfio takes the whole group): {use}");
            }
        }
        if (uses.Count == 0)
        {
            return null;
        }
        return new DeviceRefusal(
            $"The host uses {label}{(device.Driver is null ? "" : $" (driver {device.Driver})")}: {string.Join("; ", uses)}. "
            + "Passing it through takes it from the host when the VM starts; stop that use first, or give -Force to pass it through anyway.",
            "HostDeviceInUse", KvmErrorKind.ResourceBusy, device.PciAddress);
    }

    private static string Label(KvmHostDevice d) => d.ClassName is null ? d.PciAddress : $"{d.PciAddress} ({d.ClassName})";

    /// <summary>PCI-to-PCI bridges and root ports stay with the host and are not part of what vfio needs.</summary>
    public static bool IsPciBridge(KvmHostDevice d) =>
        d.Class is string c && (c.StartsWith("0x0604", StringComparison.Ordinal) || c.StartsWith("0x0609", StringComparison.Ordinal));
}

using System.Xml.Linq;

namespace KvmPS.Engine.Devices;

/// <summary>
/// Which device a Set cmdlet means when its identifier (-MacAddress, -Target) is left out: the
/// VM's only network adapter or only hard disk. Several are ambiguous and refused, naming them;
/// none is not found. Both definitions count (an adapter only in the running VM or only in the
/// next start is still one the user may mean). Pure.
/// </summary>
public static class DeviceChoice
{
    /// <summary>The MAC of the VM's only network adapter, or the refusal.</summary>
    public static (string? Mac, DeviceRefusal? Refusal) OnlyNic(string vm, XElement? config, XElement? live)
    {
        var macs = Both(config, live).SelectMany(DeviceXml.Nics)
            .Select(n => ((string?)n.Element("mac")?.Attribute("address"))?.ToLowerInvariant()).OfType<string>()
            .Distinct().Order(StringComparer.Ordinal).ToList();
        return macs.Count switch
        {
            1 => (macs[0], null),
            0 => (null, new DeviceRefusal($"VM '{vm}' has no network adapter.", "NetworkAdapterNotFound", KvmErrorKind.NotFound, vm)),
            _ => (null, new DeviceRefusal(
                $"VM '{vm}' has {macs.Count} network adapters ({string.Join(", ", macs)}): give -MacAddress to say which one to change.",
                "AmbiguousNetworkAdapter", KvmErrorKind.InvalidArgument, vm)),
        };
    }

    /// <summary>The target of the VM's only hard disk (CD-ROMs and floppies do not count), or the refusal.</summary>
    public static (string? Target, DeviceRefusal? Refusal) OnlyDisk(string vm, XElement? config, XElement? live)
    {
        var disks = Both(config, live).SelectMany(DeviceXml.Disks).ToList();
        var targets = disks.Where(IsHardDisk).Select(Target).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
        if (targets.Count == 1)
        {
            return (targets[0], null);
        }
        if (targets.Count == 0)
        {
            var others = disks.Select(Target).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
            string also = others.Count == 0 ? "" : $" (only {string.Join(", ", others)}, not hard disks: give -Target to change one)";
            return (null, new DeviceRefusal($"VM '{vm}' has no hard disk{also}.", "DiskNotFound", KvmErrorKind.NotFound, vm));
        }
        return (null, new DeviceRefusal(
            $"VM '{vm}' has {targets.Count} disks ({string.Join(", ", targets)}): give -Target to say which one to change.",
            "AmbiguousDisk", KvmErrorKind.InvalidArgument, vm));
    }

    private static IEnumerable<XElement> Both(XElement? config, XElement? live) =>
        new[] { config, live }.OfType<XElement>();

    private static bool IsHardDisk(XElement disk) => (string?)disk.Attribute("device") is null or "disk" or "lun";

    private static string? Target(XElement disk) => (string?)disk.Element("target")?.Attribute("dev");
}

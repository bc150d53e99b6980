using KvmPS.Engine.Native;

namespace KvmPS.Engine.Domains;

/// <summary>
/// The OS-variant rules of New-KvmVM and the defaults virt-install takes when an option is left
/// out: an OS variant is required for a VM that boots something, "generic" is virt-install's
/// OS of which nothing is known; the NIC a request without a network gets.
/// </summary>
public static class VmGuestPlanner
{
    /// <summary>Whether the request gives the VM something to boot (media, a kernel, an existing disk, a cloud image).</summary>
    public static bool BootsSomething(VmRequest r) =>
        r.Cdrom is not null || r.Kernel is not null || r.Import || r.CloudInitUserData is not null;

    /// <summary>
    /// Refuses a request that boots something without -OSVariant, as virt-install 4.1 does: the
    /// disk bus, NIC and firmware an installer can use depend on it.
    /// </summary>
    public static void RequireOSVariant(VmRequest r, bool existingDisk = false)
    {
        if (r.OSVariant is not null || !(BootsSomething(r) || existingDisk))
        {
            return;
        }
        throw VmRequestException.Invalid(r.Name, "OSVariantRequired",
            $"VM '{r.Name}' was not created: -OSVariant is required for a VM that boots an OS, because the disk bus, network adapter, "
            + "firmware and devices are chosen for it (a Windows installer cannot see a virtio disk, for one). Give the OS, e.g. "
            + "-OSVariant win11, ubuntu24.04 or linux2022 (tab completion lists them), or -OSVariant generic for an OS "
            + "that is not listed (i440fx, IDE disk, e1000 NIC).");
    }

    /// <summary>The per-OS setup of the request, for a QEMU host; null for another driver.</summary>
    public static VmGuestSetup Plan(LibvirtConnection conn, VmRequest r, OsInfoEntry? os, string arch, string domainType, bool isQemu)
    {
        VmOsDefaults defaults = os is not null ? VmOsDefaults.Of(OsInfoDatabase.Default, os, arch)
            : VmOsDefaults.IsGeneric(r.OSVariant) ? VmOsDefaults.Generic
            : VmOsDefaults.Unspecified;
        VmHostDevices host = isQemu ? VmHostFacts.For(conn).Devices(domainType, arch) : VmHostDevices.None;
        return VmGuestSetup.Plan(r, defaults, host, conn.IsLocal) with { Applies = isQemu };
    }

    /// <summary>
    /// The NICs of the request; with no network option on a QEMU host, virt-install's default:
    /// the bridge of this machine's default route when the host is this machine and that device
    /// is a bridge, else the network "default" (a warning and no NIC when the host has none).
    /// </summary>
    public static List<VmNicSpec> Nics(LibvirtConnection conn, VmRequest r, bool isQemu, List<VmNicSpec> asked, List<string> warnings)
    {
        // -NoNetwork and macvtap NICs (-DirectInterface) are network options too: no default NIC then.
        if (r.NetworkGiven || r.Install.NoNetwork || r.Install.DirectInterfaces.Count > 0 || asked.Count > 0 || !isQemu)
        {
            return asked;
        }
        string? mac = r.MacAddresses is { Count: > 0 } macs ? macs[0] : null;
        if (conn.IsLocal && DefaultRouteBridge() is string bridge)
        {
            return new List<VmNicSpec> { new() { Bridge = bridge, MacAddress = mac } };
        }
        try
        {
            conn.LookupNetwork("default").Dispose();
            return new List<VmNicSpec> { new() { Network = "default", MacAddress = mac } };
        }
        catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoNetwork)
        {
            warnings.Add($"'{r.Name}' gets no network adapter: no -Network or -Bridge was given and {conn.Uri} has no network named 'default' (virt-install would attach it anyway, and the VM would not start).");
            return asked;
        }
    }

    /// <summary>The device of this machine's default IPv4 route when it is a Linux bridge, else null.</summary>
    public static string? DefaultRouteBridge()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/net/route").Skip(1))
            {
                string[] f = line.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (f.Length > 2 && f[1] == "00000000")
                {
                    return Directory.Exists($"/sys/class/net/{f[0]}/bridge") ? f[0] : null;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }
}

namespace KvmPS.Engine.Domains;

/// <summary>The accelerator, CPU mode and machine type a new VM gets on a host (pure: no libvirt call).</summary>
public static class VmHostChoice
{
    /// <summary>
    /// The domain type: the driver's own type off QEMU; kvm when asked for (refused where not
    /// offered) or, for Auto, where offered and usable; else qemu, with a warning for Auto.
    /// KVM counts as usable when libvirt offers it and the host CPU shows vmx/svm. A host that
    /// offers kvm without them (nested or paravirtualized KVM) was seen to start QEMU but never
    /// run the guest, and to abort with host-passthrough: such a host gets QEMU emulation.
    /// </summary>
    public static (string DomainType, string? Warning) DomainType(string name, string uri, GuestArch guest, bool isQemu, bool cpuHasVirt, VmVirtType wanted)
    {
        if (!isQemu)
        {
            return (guest.DomainTypes[0], null);
        }
        bool offersKvm = guest.DomainTypes.Contains("kvm");
        if (wanted == VmVirtType.Kvm)
        {
            if (!offersKvm)
            {
                throw VmRequestException.Invalid(name, "KvmNotAvailable", $"-VirtType Kvm: {uri} does not offer KVM for {guest.Arch}.");
            }
            return ("kvm", null);
        }
        if (wanted == VmVirtType.Auto && offersKvm && cpuHasVirt)
        {
            return ("kvm", null);
        }
        if (wanted != VmVirtType.Auto)
        {
            return ("qemu", null);
        }
        string why = offersKvm
            ? "it offers KVM but its CPU shows no vmx/svm, and guests were seen not to run under such KVM"
            : "it does not offer KVM";
        return ("qemu", $"'{name}' uses QEMU software emulation (slow) on {uri}: {why}. Use -VirtType Kvm to force KVM.");
    }

    /// <summary>virt-install passes the host CPU through on KVM.</summary>
    public static string? CpuMode(bool isQemu, string domainType, bool cpuHasVirt) =>
        isQemu && domainType == "kvm" && cpuHasVirt ? "host-passthrough" : null;

    /// <summary>
    /// The machine type: the one asked for (refused when QEMU does not offer it for the arch);
    /// else on x86 q35 where offered and the OS supports it, then pc; else the hypervisor's default (null).
    /// </summary>
    public static string? Machine(string name, string uri, GuestArch guest, bool isQemu, string? wanted, bool osSupportsQ35)
    {
        if (wanted is null && isQemu && guest.Arch is "x86_64" or "i686")
        {
            bool q35 = guest.Machines.Contains("q35") && osSupportsQ35;
            return q35 ? "q35" : guest.Machines.Contains("pc") ? "pc" : null;
        }
        if (wanted is not null && isQemu && guest.Machines.Count > 0 && !guest.Machines.Contains(wanted))
        {
            throw VmRequestException.Invalid(name, "UnknownMachineType", $"Machine type '{wanted}' is not offered for {guest.Arch} on {uri}.");
        }
        return wanted;
    }
}

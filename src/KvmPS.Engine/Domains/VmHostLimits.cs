namespace KvmPS.Engine.Domains;

/// <summary>
/// Whether a new VM's size fits the host: memory against the host's total memory, vCPUs against
/// the host's logical CPUs and the hypervisor's vCPU limit for the domain type. Exceeding the
/// host is allowed (overcommit is a choice) but said before the VM is defined, as warnings.
/// </summary>
public static class VmHostLimits
{
    /// <summary>The warnings for a request on a host of this size (a null limit is not checked).</summary>
    public static List<string> Warnings(string name, ulong memoryBytes, int vcpus, ulong? hostMemoryBytes, int? hostCpus,
        int? maxVcpus, string domainType)
    {
        var warnings = new List<string>();
        if (hostMemoryBytes is ulong total && total > 0 && memoryBytes > total)
        {
            warnings.Add($"'{name}' asks for {Mib(memoryBytes)} MiB of memory, more than the host has in all ({Mib(total)} MiB): the guest can only run with heavy swapping or ballooning.");
        }
        if (maxVcpus is int max && max > 0 && vcpus > max)
        {
            warnings.Add($"'{name}' asks for {vcpus} vCPUs, more than the hypervisor allows for a {domainType} domain ({max}): the VM will not start.");
        }
        if (hostCpus is int cpus && cpus > 0 && vcpus > cpus)
        {
            warnings.Add($"'{name}' asks for {vcpus} vCPUs, more than the host has logical CPUs ({cpus}): its vCPUs will compete for them.");
        }
        return warnings;
    }

    /// <summary>The warnings for the request on the connection's host; a driver that cannot say its size is not checked.</summary>
    public static List<string> Check(LibvirtConnection conn, VmRequest r, string domainType)
    {
        // Only warnings depend on these: a driver that cannot say its size is not checked.
        VmHostFacts facts = VmHostFacts.For(conn);
        var (memory, cpus) = facts.Size;
        return Warnings(r.Name, r.MemoryBytes, r.VCpuCount, memory, cpus, facts.MaxVcpus(domainType), domainType);
    }

    private static ulong Mib(ulong bytes) => bytes / 1048576;
}

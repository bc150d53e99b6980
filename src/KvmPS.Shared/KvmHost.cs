namespace KvmPS;

/// <summary>A hypervisor host: CPU topology, memory, NUMA layout and versions (Get-KvmHost).</summary>
public sealed class KvmHost
{
    /// <summary>Host name.</summary>
    public string Hostname { get; init; } = "";

    /// <summary>CPU model name as libvirt reports it.</summary>
    public string CpuModel { get; init; } = "";

    /// <summary>CPU vendor, when libvirt reports one.</summary>
    public string? CpuVendor { get; init; }

    /// <summary>Host CPU architecture (x86_64, ...).</summary>
    public string Architecture { get; init; } = "";

    /// <summary>Number of logical CPUs.</summary>
    public int CpuCount { get; init; }

    /// <summary>Number of CPU sockets.</summary>
    public int Sockets { get; init; }

    /// <summary>Cores per socket.</summary>
    public int CoresPerSocket { get; init; }

    /// <summary>Hardware threads per core (2 with SMT/Hyper-Threading).</summary>
    public int ThreadsPerCore { get; init; }

    /// <summary>CPU clock in MHz as libvirt reports it.</summary>
    public int CpuMhz { get; init; }

    /// <summary>Number of NUMA nodes.</summary>
    public int NumaNodeCount { get; init; }

    /// <summary>Total memory in bytes.</summary>
    public ulong MemoryBytes { get; init; }

    /// <summary>Free memory in bytes.</summary>
    public ulong FreeMemoryBytes { get; init; }

    /// <summary>libvirt's driver name for the hypervisor (QEMU, Test, ...).</summary>
    public string HypervisorType { get; init; } = "";

    /// <summary>Hypervisor version.</summary>
    public Version? HypervisorVersion { get; init; }

    /// <summary>libvirt version of the host.</summary>
    public Version? LibvirtVersion { get; init; }

    /// <summary>Whether the host's capabilities offer domain type <c>kvm</c> (hardware acceleration).</summary>
    public bool KvmSupported { get; init; }

    /// <summary>
    /// Whether KVM is usable for ordinary guests: offered (KvmSupported) and the host CPU shows
    /// vmx or svm. Hosts with paravirtualized KVM offer kvm without them and do not run ordinary
    /// guests under it; New-KvmVM uses QEMU emulation there.
    /// </summary>
    public bool KvmUsable { get; init; }

    /// <summary>Domain types the host offers for its native architecture (kvm, qemu, test, ...).</summary>
    public string[] DomainTypes { get; init; } = Array.Empty<string>();

    /// <summary>Whether the host reports an IOMMU (needed for PCI passthrough).</summary>
    public bool? IommuSupported { get; init; }

    /// <summary>Huge page sizes the host CPU supports, in bytes.</summary>
    public ulong[] PageSizesBytes { get; init; } = Array.Empty<ulong>();

    /// <summary>NUMA cells with their CPUs, memory and huge pages.</summary>
    public KvmNumaCell[] NumaCells { get; init; } = Array.Empty<KvmNumaCell>();

    /// <summary>The connection URI this host was read from.</summary>
    public string Uri { get; init; } = "";
}

/// <summary>One NUMA cell of a host.</summary>
public sealed class KvmNumaCell
{
    /// <summary>Cell (node) number.</summary>
    public int Id { get; init; }

    /// <summary>Memory of the cell in bytes.</summary>
    public ulong MemoryBytes { get; init; }

    /// <summary>Free memory of the cell in bytes, when the host reports it.</summary>
    public ulong? FreeMemoryBytes { get; init; }

    /// <summary>The cell's logical CPUs as a cpuset string (e.g. <c>0-7</c>).</summary>
    public string Cpus { get; init; } = "";

    /// <summary>The cell's logical CPUs with socket, core and SMT siblings.</summary>
    public KvmHostCpu[] CpuList { get; init; } = Array.Empty<KvmHostCpu>();

    /// <summary>Pages of each size in the cell: total and free.</summary>
    public KvmHugePages[] Pages { get; init; } = Array.Empty<KvmHugePages>();

    /// <summary>The connection URI this cell was read from.</summary>
    public string Uri { get; init; } = "";
}

/// <summary>A logical CPU of a host with its place in the topology.</summary>
public sealed class KvmHostCpu
{
    /// <summary>Logical CPU number.</summary>
    public int Id { get; init; }

    /// <summary>NUMA cell the CPU belongs to.</summary>
    public int CellId { get; init; }

    /// <summary>Socket number.</summary>
    public int SocketId { get; init; }

    /// <summary>Die number within the socket.</summary>
    public int DieId { get; init; }

    /// <summary>Core number within the socket.</summary>
    public int CoreId { get; init; }

    /// <summary>All logical CPUs sharing this core (itself included), as a cpuset string.</summary>
    public string Siblings { get; init; } = "";
}

/// <summary>Pages of one size in a NUMA cell.</summary>
public sealed class KvmHugePages
{
    /// <summary>NUMA cell.</summary>
    public int CellId { get; init; }

    /// <summary>Page size in bytes (4096, 2097152, 1073741824, ...).</summary>
    public ulong PageSizeBytes { get; init; }

    /// <summary>Number of pages of this size in the cell (reserved, for huge pages).</summary>
    public ulong Total { get; init; }

    /// <summary>Number of free pages of this size, when the host reports it.</summary>
    public ulong? Free { get; init; }
}

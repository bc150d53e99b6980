namespace KvmPS;

/// <summary>A hypervisor host: CPU topology, memory, NUMA layout and versions (Get-KvmHost).</summary>
public sealed class KvmHost
{
    /// <summary>Host name.</summary>
    public string Hostname { get; internal init; } = "";

    /// <summary>CPU model name as libvirt reports it.</summary>
    public string CpuModel { get; internal init; } = "";

    /// <summary>CPU vendor, when libvirt reports one.</summary>
    public string? CpuVendor { get; internal init; }

    /// <summary>Host CPU architecture (x86_64, ...).</summary>
    public string Architecture { get; internal init; } = "";

    /// <summary>Number of logical CPUs.</summary>
    public int CpuCount { get; internal init; }

    /// <summary>Number of CPU sockets.</summary>
    public int Sockets { get; internal init; }

    /// <summary>Cores per socket.</summary>
    public int CoresPerSocket { get; internal init; }

    /// <summary>Hardware threads per core (2 with SMT/Hyper-Threading).</summary>
    public int ThreadsPerCore { get; internal init; }

    /// <summary>CPU clock in MHz as libvirt reports it.</summary>
    public int CpuMhz { get; internal init; }

    /// <summary>Number of NUMA nodes.</summary>
    public int NumaNodeCount { get; internal init; }

    /// <summary>Total memory in bytes.</summary>
    public ulong MemoryBytes { get; internal init; }

    /// <summary>Free memory in bytes.</summary>
    public ulong FreeMemoryBytes { get; internal init; }

    /// <summary>libvirt's driver name for the hypervisor (QEMU, Test, ...).</summary>
    public string HypervisorType { get; internal init; } = "";

    /// <summary>Hypervisor version.</summary>
    public Version? HypervisorVersion { get; internal init; }

    /// <summary>libvirt version of the host.</summary>
    public Version? LibvirtVersion { get; internal init; }

    /// <summary>Whether the host's capabilities offer domain type <c>kvm</c> (hardware acceleration).</summary>
    public bool KvmSupported { get; internal init; }

    /// <summary>
    /// Whether KVM is usable for ordinary guests: offered (KvmSupported) and the host CPU shows
    /// vmx or svm. Hosts with paravirtualized KVM offer kvm without them and do not run ordinary
    /// guests under it; New-KvmVM uses QEMU emulation there.
    /// </summary>
    public bool KvmUsable { get; internal init; }

    /// <summary>Domain types the host offers for its native architecture (kvm, qemu, test, ...).</summary>
    public string[] DomainTypes { get; internal init; } = Array.Empty<string>();

    /// <summary>Whether the host reports an IOMMU (needed for PCI passthrough).</summary>
    public bool? IommuSupported { get; internal init; }

    /// <summary>Huge page sizes the host CPU supports, in bytes.</summary>
    public ulong[] PageSizesBytes { get; internal init; } = Array.Empty<ulong>();

    /// <summary>NUMA cells with their CPUs, memory and huge pages.</summary>
    public KvmNumaCell[] NumaCells { get; internal init; } = Array.Empty<KvmNumaCell>();

    /// <summary>The connection URI this host was read from.</summary>
    public string Uri { get; internal init; } = "";

    /// <summary>The computer the host was read from: the host part of <see cref="Uri"/>, or this machine for a local URI (tells hosts apart in a fan-out).</summary>
    public string ComputerName => UriHostName.Of(Uri);

    /// <summary>Number of logical CPUs (the table's CPUs column; same as <see cref="CpuCount"/>).</summary>
    public int Cpus => CpuCount;

    /// <summary>Number of NUMA nodes (the table's NUMA column; same as <see cref="NumaNodeCount"/>).</summary>
    public int Numa => NumaNodeCount;

    /// <summary>Sockets/cores per socket/threads per core, e.g. 2/8/2 (the table's SCT column).</summary>
    public string Sct => $"{Sockets}/{CoresPerSocket}/{ThreadsPerCore}";

    /// <summary>Host memory in GiB, one decimal.</summary>
    public double MemoryGiB => Math.Round(MemoryBytes / (1024.0 * 1024 * 1024), 1);

    /// <summary>Free host memory in GiB, one decimal.</summary>
    public double FreeGiB => Math.Round(FreeMemoryBytes / (1024.0 * 1024 * 1024), 1);

    /// <summary>Hypervisor type and version, e.g. QEMU 8.2.2.</summary>
    public string Hypervisor => $"{HypervisorType} {HypervisorVersion}";
}

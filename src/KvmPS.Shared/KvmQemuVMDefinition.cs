namespace KvmPS;

/// <summary>
/// A VM definition made from a QEMU command line (ConvertFrom-KvmQemuCommandLine): the domain XML,
/// ready for Import-KvmVM, and what of the command line it could not carry. Its text form is the
/// domain XML, so it pipes straight into Import-KvmVM.
/// </summary>
public sealed class KvmQemuVMDefinition
{
    /// <summary>Name of the VM (-Name, else QEMU's -name, else qemu-vm).</summary>
    public string Name { get; internal init; } = "";

    /// <summary>The libvirt domain XML.</summary>
    public string Xml { get; internal init; } = "";

    /// <summary>Domain type: kvm (-enable-kvm, -accel kvm) or qemu.</summary>
    public string DomainType { get; internal init; } = "qemu";

    /// <summary>Number of vCPUs.</summary>
    public int VCpuCount { get; internal init; }

    /// <summary>Memory in bytes.</summary>
    public ulong MemoryBytes { get; internal init; }

    /// <summary>Machine type, when -machine gave one.</summary>
    public string? MachineType { get; internal init; }

    /// <summary>Options the parser does not know, and values it knows but cannot carry into the definition: left out of the XML.</summary>
    public string[] Unknown { get; internal init; } = Array.Empty<string>();

    /// <summary>Options that were read and how they map, one line each.</summary>
    public string[] Mapped { get; internal init; } = Array.Empty<string>();

    /// <inheritdoc />
    public override string ToString() => Xml;
}

namespace KvmPS;

/// <summary>A PCI device of a host (a libvirt node device), as a candidate for passthrough.</summary>
public sealed class KvmHostDevice
{
    /// <summary>PCI address, domain:bus:slot.function, e.g. 0000:01:00.0.</summary>
    public string PciAddress { get; internal init; } = "";

    /// <summary>libvirt's node device name, e.g. pci_0000_01_00_0.</summary>
    public string NodeDeviceName { get; internal init; } = "";

    /// <summary>PCI class code, e.g. 0x030000.</summary>
    public string? Class { get; internal init; }

    /// <summary>What the class code means, e.g. Display controller.</summary>
    public string? ClassName { get; internal init; }

    /// <summary>Vendor id, e.g. 0x10de.</summary>
    public string? VendorId { get; internal init; }

    /// <summary>Vendor name from the PCI id database.</summary>
    public string? VendorName { get; internal init; }

    /// <summary>Product id, e.g. 0x1b80.</summary>
    public string? ProductId { get; internal init; }

    /// <summary>Product name from the PCI id database.</summary>
    public string? ProductName { get; internal init; }

    /// <summary>Host driver bound to the device (vfio-pci when it is ready for a guest); null when none.</summary>
    public string? Driver { get; internal init; }

    /// <summary>IOMMU group number; null when the host has no IOMMU (or it is off).</summary>
    public int? IommuGroup { get; internal init; }

    /// <summary>The other devices of the same IOMMU group (they go to a guest together).</summary>
    public string[] IommuGroupMembers { get; internal init; } = Array.Empty<string>();

    /// <summary>A bridge or host-critical device (class bridge, memory controller or system peripheral).</summary>
    public bool IsHostCritical { get; internal init; }

    /// <summary>Whether vfio could take it: it has an IOMMU group, and neither it nor another member of its group is host-critical (PCI bridges excepted).</summary>
    public bool Assignable { get; internal init; }

    /// <summary>SR-IOV virtual functions of this physical function.</summary>
    public string[] VirtualFunctions { get; internal init; } = Array.Empty<string>();

    /// <summary>How many virtual functions the physical function can have; null when it is not SR-IOV capable.</summary>
    public int? MaxVirtualFunctions { get; internal init; }

    /// <summary>For an SR-IOV virtual function: its physical function.</summary>
    public string? PhysicalFunction { get; internal init; }

    /// <summary>Host NUMA node the device is attached to, when known.</summary>
    public int? NumaNode { get; internal init; }

    /// <summary>Parent node device (the bridge or root port above it).</summary>
    public string? Parent { get; internal init; }

    /// <summary>The connection URI.</summary>
    public string Uri { get; internal init; } = "";

    /// <inheritdoc />
    public override string ToString() => PciAddress;

    /// <summary>SR-IOV role: "PF used/max" for a physical function, "VF" for a virtual function, null otherwise.</summary>
    public string? SrIov => MaxVirtualFunctions is { } max ? $"PF {VirtualFunctions.Length}/{max}" : !string.IsNullOrEmpty(PhysicalFunction) ? "VF" : null;

    /// <summary>Vendor and product name, e.g. "Intel Corporation I350 Gigabit Network Connection".</summary>
    public string Device => $"{VendorName} {ProductName}".Trim();
}

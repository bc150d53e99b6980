namespace KvmPS.Engine.Devices;

/// <summary>What a PCI node device's XML says (virNodeDeviceGetXMLDesc), before the host-wide view.</summary>
public sealed record PciNodeDevice
{
    public string Name { get; init; } = "";
    public PciAddress Address { get; init; }
    public int? ClassCode { get; init; }
    public string? VendorId { get; init; }
    public string? VendorName { get; init; }
    public string? ProductId { get; init; }
    public string? ProductName { get; init; }
    public string? Driver { get; init; }
    public string? Parent { get; init; }
    public int? IommuGroup { get; init; }
    public IReadOnlyList<PciAddress> IommuGroupAddresses { get; init; } = Array.Empty<PciAddress>();
    public IReadOnlyList<PciAddress> VirtualFunctions { get; init; } = Array.Empty<PciAddress>();
    public int? MaxVirtualFunctions { get; init; }
    public PciAddress? PhysicalFunction { get; init; }
    public int? NumaNode { get; init; }
    /// <summary>libvirt marks bridges with a pci-bridge or cardbus-bridge capability.</summary>
    public bool HasBridgeCapability { get; init; }
}

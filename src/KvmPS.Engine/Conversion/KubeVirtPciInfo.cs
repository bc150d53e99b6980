namespace KvmPS.Engine.Conversion;

/// <summary>What a host PCI device is, for KubeVirt's permittedHostDevices (pciVendorSelector "vendor:product").</summary>
/// <param name="VendorId">Vendor id, 4 hex digits (10de).</param>
/// <param name="ProductId">Product id, 4 hex digits (1eb8).</param>
/// <param name="ClassCode">PCI class code, 6 hex digits (030000 for a VGA controller).</param>
public sealed record KubeVirtPciInfo(string VendorId, string ProductId, string ClassCode)
{
    /// <summary>Whether the device is a display controller (class 03xxxx): KubeVirt lists those as gpus.</summary>
    public bool IsGpu => Normalized(ClassCode).StartsWith("03", StringComparison.Ordinal);

    private static string Normalized(string code)
    {
        string c = code.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? code[2..] : code;
        return c.PadLeft(6, '0');
    }
}

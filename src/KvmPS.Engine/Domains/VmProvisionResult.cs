namespace KvmPS.Engine.Domains;

/// <summary>What <see cref="VmProvisioner.Apply"/> made.</summary>
public sealed class VmProvisionResult
{
    public string Name { get; init; } = "";
    public Guid Uuid { get; init; }

    /// <summary>The domain XML that was defined.</summary>
    public string DomainXml { get; init; } = "";

    /// <summary>Volumes and files made for the VM (it owns them), in the order they were made.</summary>
    public IReadOnlyList<string> CreatedStorage { get; init; } = Array.Empty<string>();

    /// <summary>The disks the VM got.</summary>
    public IReadOnlyList<VmDiskSpec> Disks { get; init; } = Array.Empty<VmDiskSpec>();

    /// <summary>The VM as defined (and started), when the request asked to read it back.</summary>
    public KvmVM? VM { get; init; }
}

namespace KvmPS.Engine.Storage;

/// <summary>
/// What a storage pool is made of: the request of New-KvmStoragePool and, read back from libvirt,
/// an existing pool's definition. Comparing the two tells whether a request converges.
/// </summary>
public sealed record StoragePoolDefinition
{
    public string Name { get; init; } = "";

    public KvmStoragePoolType Type { get; init; } = KvmStoragePoolType.Dir;

    /// <summary>libvirt's type name; for definitions read back it may name a type the enum does not have.</summary>
    public string TypeName { get; init; } = "dir";

    public Guid? Uuid { get; init; }

    /// <summary>Target path (directory, mount point, device directory).</summary>
    public string? Path { get; init; }

    public IReadOnlyList<StorageHost> SourceHosts { get; init; } = Array.Empty<StorageHost>();

    /// <summary>The source directory: the NetFs export (or CIFS share).</summary>
    public string? SourcePath { get; init; }

    public IReadOnlyList<string> SourceDevices { get; init; } = Array.Empty<string>();

    /// <summary>The source name: LVM volume group or Ceph pool.</summary>
    public string? SourceName { get; init; }

    /// <summary>The source format: file system type (Fs, NetFs) or lvm2 (Logical).</summary>
    public string? SourceFormat { get; init; }
}

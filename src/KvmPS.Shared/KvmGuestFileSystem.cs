namespace KvmPS;

/// <summary>A file system mounted in the guest, as its agent reports it.</summary>
public sealed class KvmGuestFileSystem
{
    /// <summary>Where it is mounted.</summary>
    public string MountPoint { get; internal init; } = "";

    /// <summary>The guest's name of the device (e.g. vda1, dm-0).</summary>
    public string Name { get; internal init; } = "";

    /// <summary>File system type (ext4, xfs, ntfs...).</summary>
    public string Type { get; internal init; } = "";

    /// <summary>Size in bytes, when the agent reports it.</summary>
    public long? TotalBytes { get; internal init; }

    /// <summary>Bytes in use, when the agent reports it.</summary>
    public long? UsedBytes { get; internal init; }

    /// <summary>The guest's device paths of the disks under it.</summary>
    public string[] Disks { get; internal init; } = Array.Empty<string>();
}

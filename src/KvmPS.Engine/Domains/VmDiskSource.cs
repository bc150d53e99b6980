namespace KvmPS.Engine.Domains;

/// <summary>How a disk of a new VM comes about.</summary>
public enum VmDiskSource
{
    /// <summary>A new thin volume in a pool.</summary>
    PoolVolume,
    /// <summary>A new image file made with qemu-img.</summary>
    NewFile,
    /// <summary>An existing image file, kept when the VM goes.</summary>
    ExistingFile,
}

namespace KvmPS.Engine.Domains;

/// <summary>A disk of a new VM: its first one (-DiskPath, -DiskSize) or one of -Disk.</summary>
/// <param name="Source">Pool volume, new file or existing file.</param>
/// <param name="Location">The volume name (PoolVolume) or the file path.</param>
/// <param name="Pool">The pool of a PoolVolume.</param>
/// <param name="SizeBytes">Size of a disk to create.</param>
/// <param name="Format">qcow2 or raw; null for an existing file whose format is probed when it is used.</param>
public sealed record VmDiskPlan(VmDiskSource Source, string Location, string? Pool, ulong SizeBytes, string? Format)
{
    /// <summary>How the disk is attached and what it is an overlay of, from a -Disk spec; null for the defaults.</summary>
    public VmDiskOptions? Options { get; init; }
}

namespace KvmPS.Engine.Domains;

/// <summary>A planned copy of a VM to another host: the disks streamed (each to a pool and volume of the destination) and whether the copy keeps the UUID and MACs.</summary>
public sealed record VmHostCopyPlan(string Source, string NewName, bool KeepId, IReadOnlyList<VmHostCopyDisk> Disks)
{
    public ulong TotalBytes => Disks.Aggregate(0UL, (s, d) => s + d.Length);
}

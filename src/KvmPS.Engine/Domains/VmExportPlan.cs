namespace KvmPS.Engine.Domains;

/// <summary>
/// What Export-KvmVM -IncludeStorage will do: the directory it makes, the disks it copies (and the
/// ones it leaves as references), whether it pauses a running VM for the time of the copy.
/// </summary>
public sealed record VmExportPlan(string VmName, Guid Uuid, string Directory, KvmVMState State, bool Pause,
    IReadOnlyList<VmExportPlannedDisk> Disks, string? NvramPath, IReadOnlyList<string> Notes)
{
    public ulong TotalBytes => Disks.Aggregate(0UL, (sum, d) => sum + d.Length);

    public string Describe() =>
        $"Export VM '{VmName}' with {Disks.Count} disk(s) ({TotalBytes} bytes){(NvramPath is null ? "" : " and its UEFI variables")} to '{Directory}'"
        + (Pause ? " (paused while its disks are copied)" : "");
}

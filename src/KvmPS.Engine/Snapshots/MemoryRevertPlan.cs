namespace KvmPS.Engine.Snapshots;

/// <summary>
/// How KvmPS reverts an external snapshot with memory on a libvirt that cannot (see
/// <see cref="MemoryRevertPlanner"/>): the disks and their overlays, the XML libvirt gets for each
/// step, and the file that keeps the running VM's present state until the revert succeeded.
/// </summary>
/// <param name="VMName">The VM.</param>
/// <param name="Name">The snapshot.</param>
/// <param name="Disks">The snapshot's external disks, with their old and new overlays.</param>
/// <param name="MemoryFile">The snapshot's memory file (a libvirt save image); read, never changed.</param>
/// <param name="RestoreXml">The VM definition saved in the memory file, with its snapshot disks on the new overlays (dxml of virDomainRestoreFlags).</param>
/// <param name="OverlayXml">The disk-only snapshot (no metadata) that makes the new overlays on the frozen images.</param>
/// <param name="SnapshotXml">The snapshot's XML with its disks on the new overlays, to redefine it (it stays revertible).</param>
/// <param name="KeepFile">Where the running VM's present state is saved first, so that a failure can resume it; deleted after success.</param>
/// <param name="StartPaused">The snapshot was of a paused guest: it comes back paused.</param>
public sealed record MemoryRevertPlan(string VMName, string Name, string MemoryFile, IReadOnlyList<MemoryRevertDisk> Disks,
    string RestoreXml, string OverlayXml, string SnapshotXml, string KeepFile, bool StartPaused)
{
    /// <summary>The steps, in order, as -Verbose and -WhatIf state them.</summary>
    public string Method(bool running) =>
        (running ? $"save the running VM's present state to '{KeepFile}' (it stops; a failure resumes it from there), " : "")
        + $"put new overlays on the images the snapshot froze ({string.Join(", ", Disks.Select(d => $"{d.Target}: {d.NewOverlay}"))}), "
        + $"resume the guest from the memory file '{MemoryFile}' onto them{(StartPaused ? " (paused, as it was)" : "")}, "
        + $"then delete the overlays used until now ({string.Join(", ", Disks.Select(d => d.OldOverlay))}); the snapshot and its memory file stay, so it can be restored again";
}

namespace KvmPS.Engine.Backups;

/// <summary>What a backup will do, decided before anything changes.</summary>
public sealed record BackupPlan(
    BackupRequest Request,
    string Kind,
    int Index,
    string? Checkpoint,
    string? ParentCheckpoint,
    bool StartPaused,
    IReadOnlyList<BackupPlannedDisk> Disks,
    string DefinitionFile,
    string BackupXml,
    string? CheckpointXml,
    ulong EstimatedBytes,
    IReadOnlyList<string> Notes)
{
    /// <summary>One line for ShouldProcess and -Verbose.</summary>
    public string Describe() =>
        $"{Kind} backup {Index} of {Disks.Count} disk(s) ({string.Join(", ", Disks.Select(d => d.Source.Target))}) to '{Request.Destination.Path}'"
        + (Checkpoint is null ? ", no checkpoint" : $", checkpoint '{Checkpoint}'")
        + (ParentCheckpoint is null ? "" : $", changes since '{ParentCheckpoint}'")
        + (StartPaused ? "; the shut-off VM is started paused for it and stopped again" : "");
}

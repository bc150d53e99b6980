namespace KvmPS.Engine.Backups;

/// <summary>A disk the backup writes: its source and the file it goes to.</summary>
public sealed record BackupPlannedDisk(BackupDiskSource Source, string File, string FullPath);

namespace KvmPS.Engine.Backups;

/// <summary>A progress report of a backup or restore: what it is doing and how far (percent, -1 when unknown).</summary>
public sealed record BackupProgress(string Status, int Percent, ulong Done = 0, ulong Total = 0);

namespace KvmPS.Engine.Backups;

/// <summary>A disk a restore rebuilds: its target, the chain of backup files (full first), their checksums, and the volume it becomes.</summary>
public sealed record RestorePlannedDisk(string Target, IReadOnlyList<BackupManifestDisk> Files, IReadOnlyList<string> Paths, string VolumeName, ulong VirtualSizeBytes);

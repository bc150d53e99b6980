namespace KvmPS.Engine.Backups;

/// <summary>A finished backup: the manifest as saved and the entry this run added.</summary>
public sealed record BackupResult(BackupManifest Manifest, BackupManifestEntry Entry, string Directory);

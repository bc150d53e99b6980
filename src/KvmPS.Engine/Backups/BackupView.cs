namespace KvmPS.Engine.Backups;

/// <summary>The public objects for the entries of a manifest.</summary>
public static class BackupView
{
    public static KvmBackup Describe(BackupManifest m, BackupManifestEntry e, string directory, string uri) => new()
    {
        VMName = m.VmName,
        VMUuid = m.VmUuid,
        Path = directory,
        Index = e.Index,
        Kind = e.Kind,
        Checkpoint = e.Checkpoint,
        ParentCheckpoint = e.ParentCheckpoint,
        ChainLength = m.Chain.Count,
        StartTime = DateTime.SpecifyKind(e.StartedUtc, DateTimeKind.Utc),
        CompletionTime = DateTime.SpecifyKind(e.CompletedUtc, DateTimeKind.Utc),
        Quiesced = e.Quiesced,
        VMState = e.VmState,
        BytesCopied = e.BytesCopied,
        Disks = e.Disks.Select(d => new KvmBackupDisk
        {
            Target = d.Target,
            Path = Path.Combine(directory, d.File),
            SourcePath = d.SourcePath,
            VirtualSizeBytes = d.VirtualSizeBytes,
            FileSizeBytes = d.FileSizeBytes,
            Sha256 = d.Sha256,
        }).ToArray(),
        Uri = uri,
    };
}

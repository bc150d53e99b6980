namespace KvmPS.Engine.Backups;

/// <summary>One backup of a chain: the full one (index 0) or an incremental one on the one before.</summary>
public sealed class BackupManifestEntry
{
    public int Index { get; set; }

    /// <summary>"Full" or "Incremental".</summary>
    public string Kind { get; set; } = BackupKinds.Full;

    /// <summary>The checkpoint this backup created (the base of the next incremental one), or null when the disks cannot hold one.</summary>
    public string? Checkpoint { get; set; }

    /// <summary>The checkpoint an incremental backup copied the changes since.</summary>
    public string? ParentCheckpoint { get; set; }

    public DateTime StartedUtc { get; set; }

    public DateTime CompletedUtc { get; set; }

    /// <summary>File name of the VM's definition at the time of the backup.</summary>
    public string Definition { get; set; } = "";

    /// <summary>Whether the definition file holds secrets (graphics passwords).</summary>
    public bool IncludesSecrets { get; set; }

    /// <summary>Whether the guest's filesystems were frozen by its agent while the backup started.</summary>
    public bool Quiesced { get; set; }

    /// <summary>The VM's state when the backup was asked for (Running, Paused, ShutOff).</summary>
    public string VmState { get; set; } = "";

    /// <summary>Bytes the backup job copied (from its statistics).</summary>
    public ulong BytesCopied { get; set; }

    public List<BackupManifestDisk> Disks { get; set; } = new();
}

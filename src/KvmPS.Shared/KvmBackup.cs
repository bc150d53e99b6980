namespace KvmPS;

/// <summary>One backup of a VM in a backup directory (Backup-KvmVM): full or incremental, its checkpoint and files.</summary>
public sealed class KvmBackup
{
    /// <summary>Name of the VM that was backed up.</summary>
    public string VMName { get; internal init; } = "";

    /// <summary>UUID of the VM that was backed up.</summary>
    public Guid VMUuid { get; internal init; }

    /// <summary>The backup directory (holds manifest.json).</summary>
    public string Path { get; internal init; } = "";

    /// <summary>Position in the chain: 0 is the full backup, each incremental one the next number.</summary>
    public int Index { get; internal init; }

    /// <summary>Full or Incremental.</summary>
    public string Kind { get; internal init; } = "";

    /// <summary>The checkpoint this backup made (what the next incremental backup copies the changes since), or null.</summary>
    public string? Checkpoint { get; internal init; }

    /// <summary>For an incremental backup, the checkpoint it copied the changes since.</summary>
    public string? ParentCheckpoint { get; internal init; }

    /// <summary>How many backups the chain in the directory has now.</summary>
    public int ChainLength { get; internal init; }

    /// <summary>When the backup began (UTC).</summary>
    public DateTime StartTime { get; internal init; }

    /// <summary>When the backup was complete (UTC).</summary>
    public DateTime CompletionTime { get; internal init; }

    /// <summary>Whether the guest agent froze the guest's filesystems when the backup began (application-consistent); otherwise crash-consistent.</summary>
    public bool Quiesced { get; internal init; }

    /// <summary>The VM's state when it was backed up (Running, Paused, ShutOff).</summary>
    public string VMState { get; internal init; } = "";

    /// <summary>Bytes the backup job copied, from its statistics.</summary>
    public ulong BytesCopied { get; internal init; }

    /// <summary>The disk files of this backup.</summary>
    public KvmBackupDisk[] Disks { get; internal init; } = Array.Empty<KvmBackupDisk>();

    /// <summary>The connection URI of the VM's host.</summary>
    public string Uri { get; internal init; } = "";

    /// <summary>Bytes copied with a binary unit; sorts by bytes.</summary>
    public KvmSize Copied => new(BytesCopied);

    /// <summary>VM name and index.</summary>
    public override string ToString() => $"{VMName}#{Index}";
}

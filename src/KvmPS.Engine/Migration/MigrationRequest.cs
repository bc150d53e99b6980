namespace KvmPS.Engine.Migration;

/// <summary>What Move-KvmVM asks for.</summary>
public sealed record MigrationRequest
{
    public required string DestinationUri { get; init; }
    public bool Live { get; init; }
    public KvmStorageCopy? CopyStorage { get; init; }
    public bool Persistent { get; init; }
    public bool UndefineSource { get; init; }
    /// <summary>tcp://address[:port] of the network the data goes over (VIR_MIGRATE_PARAM_URI).</summary>
    public string? MigrationUri { get; init; }
    /// <summary>MiB/s; null: no limit.</summary>
    public ulong? BandwidthMiBps { get; init; }
    public bool AutoConverge { get; init; }
    public bool PostCopy { get; init; }
    /// <summary>After this long the job is aborted (the VM stays on the source); null: no limit.</summary>
    public TimeSpan? Timeout { get; init; }
}

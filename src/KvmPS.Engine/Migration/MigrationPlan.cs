namespace KvmPS.Engine.Migration;

/// <summary>
/// The flags and typed parameters of one migration, decided from the request as virsh migrate
/// decides them. The migration is managed direct (virDomainMigrate3: this process holds the source
/// and destination connections, as virsh does without --p2p), so the destination is reached with
/// the caller's own connection and credentials and the source daemon needs none of its own.
/// </summary>
public sealed record MigrationPlan(MigrationFlags Flags, IReadOnlyList<KeyValuePair<string, object>> Parameters)
{
    public const string UriParam = "migrate_uri";
    public const string BandwidthParam = "bandwidth";
    public const string DestinationNameParam = "destination_name";

    /// <summary>The plan for moving a VM that is running (<paramref name="running"/>) or shut off.</summary>
    public static MigrationPlan For(MigrationRequest r, string vmName, bool running)
    {
        MigrationFlags f = MigrationFlags.AbortOnError;
        if (running)
        {
            // A running VM moves with its memory: live unless asked otherwise (then paused during the copy, as virsh).
            f |= r.Live ? MigrationFlags.Live : MigrationFlags.None;
        }
        else
        {
            // A shut-off VM moves only its definition, which must then persist on the destination.
            f |= MigrationFlags.Offline | MigrationFlags.PersistDest;
        }
        f |= r.Persistent ? MigrationFlags.PersistDest : MigrationFlags.None;
        f |= r.UndefineSource ? MigrationFlags.UndefineSource : MigrationFlags.None;
        f |= r.CopyStorage switch
        {
            KvmStorageCopy.All => MigrationFlags.NonSharedDisk,
            KvmStorageCopy.Incremental => MigrationFlags.NonSharedIncremental,
            _ => MigrationFlags.None,
        };
        f |= r.AutoConverge ? MigrationFlags.AutoConverge : MigrationFlags.None;
        f |= r.PostCopy ? MigrationFlags.PostCopy : MigrationFlags.None;
        var p = new List<KeyValuePair<string, object>> { new(DestinationNameParam, vmName) };
        if (!string.IsNullOrWhiteSpace(r.MigrationUri))
        {
            p.Add(new(UriParam, r.MigrationUri!.Trim()));
        }
        if (r.BandwidthMiBps is ulong bw)
        {
            p.Add(new(BandwidthParam, bw));
        }
        return new MigrationPlan(f, p);
    }

    /// <summary>Why a request cannot be made at all (before any check of the hosts), or null.</summary>
    public static string? Invalid(MigrationRequest r, bool running)
    {
        if (!running && (r.Live || r.PostCopy || r.AutoConverge || r.CopyStorage is not null))
        {
            return "the VM is not running: only its definition moves (-Live, -PostCopy, -AutoConverge and -CopyStorage need a running VM)";
        }
        if (r.PostCopy && !r.Live)
        {
            return "-PostCopy needs -Live";
        }
        if (r.MigrationUri is { } u && !string.IsNullOrWhiteSpace(u)
            && !(System.Uri.TryCreate(u.Trim(), UriKind.Absolute, out Uri? parsed) && parsed.Scheme is "tcp" or "rdma" && parsed.Host.Length > 0))
        {
            return $"-MigrationUri '{u}' is not tcp://address[:port]";
        }
        if (r.BandwidthMiBps == 0)
        {
            return "-Bandwidth must be at least 1 MiB/s";
        }
        return null;
    }
}

namespace KvmPS.Engine.Backups;

/// <summary>
/// What libvirt says about a domain's job (virDomainGetJobStats): its type (none while nothing
/// runs; completed, failed or cancelled for the last job's record) and the byte counters a backup
/// fills. A backup reports its bytes as "disk_*" fields; older drivers as "data_*".
/// </summary>
public sealed record BackupJobStats(int Type, ulong Total, ulong Processed, bool? Success, string? ErrorMessage)
{
    public const int None = 0, Bounded = 1, Unbounded = 2, Completed = 3, Failed = 4, Cancelled = 5;

    /// <summary>Whether a job is under way.</summary>
    public bool Running => Type is Bounded or Unbounded;

    /// <summary>Reads the fields of a job record (name to value: numbers, booleans, strings).</summary>
    public static BackupJobStats From(int type, IReadOnlyDictionary<string, object> fields)
    {
        ulong Number(string name) => fields.TryGetValue(name, out object? v) ? Convert.ToUInt64(v) : 0;
        ulong total = Number("disk_total") is ulong d and > 0 ? d : Number("data_total");
        ulong processed = Number("disk_total") > 0 ? Number("disk_processed") : Number("data_processed");
        bool? success = fields.TryGetValue("success", out object? s) ? Convert.ToBoolean(s) : null;
        string? error = fields.TryGetValue("errmsg", out object? m) ? m as string : null;
        return new BackupJobStats(type, total, Math.Min(processed, total == 0 ? processed : total), success, error);
    }

    /// <summary>Whether a finished job's record says it succeeded.</summary>
    public bool Succeeded => Type == Completed && Success != false;
}

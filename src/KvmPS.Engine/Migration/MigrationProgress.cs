namespace KvmPS.Engine.Migration;

/// <summary>One reading of a migration job's statistics (virDomainGetJobStats); null where the job does not report a figure.</summary>
public sealed record MigrationProgress(ulong? DataTotal, ulong? DataProcessed, ulong? DataRemaining, ulong? MemoryBytesPerSecond, ulong? DowntimeMs, ulong? ElapsedMs)
{
    /// <summary>0-100 from the data figures, or -1 when they are not known yet.</summary>
    public int Percent => DataTotal is > 0 && DataRemaining is ulong rem
        ? (int)Math.Clamp(100 - rem * 100 / DataTotal.Value, 0, 100) : -1;

    /// <summary>A line for a progress bar: remaining data, rate, expected downtime.</summary>
    public string Describe() =>
        $"{Mib(DataRemaining)} MiB of {Mib(DataTotal)} MiB remaining, {Mib(MemoryBytesPerSecond)} MiB/s"
        + (DowntimeMs is ulong d ? $", downtime {d} ms" : "");

    private static string Mib(ulong? bytes) => bytes is ulong b ? (b / 1048576.0).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) : "?";
}

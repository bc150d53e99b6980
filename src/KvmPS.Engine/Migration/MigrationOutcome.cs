namespace KvmPS.Engine.Migration;

/// <summary>How a migration ended: the VM as it is on the destination, and the job's final figures.</summary>
public sealed record MigrationOutcome(KvmVM Vm, TimeSpan Elapsed, ulong? DowntimeMs, int ProgressReports);

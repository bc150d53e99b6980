namespace KvmPS.Engine.Snapshots;

/// <summary>One disk of a planned snapshot: its target, how it is captured, and the overlay of an external one.</summary>
public sealed record SnapshotDiskPlan(string Target, KvmSnapshotKind Kind, string? Overlay);

namespace KvmPS.Engine.Snapshots;

/// <summary>What Checkpoint-KvmVM asks for, as plain data.</summary>
public sealed record SnapshotRequest(string VMName, string Name, string? Description, bool DiskOnly, bool Memory, bool Quiesce);

namespace KvmPS.Engine.Backups;

/// <summary>Everything the planner decides from: the VM, its disks and checkpoints, the destination and an existing chain there.</summary>
public sealed record BackupRequest(
    string VmName,
    Guid VmUuid,
    KvmVMState State,
    bool Persistent,
    bool LocalHost,
    bool Incremental,
    IReadOnlyList<BackupDiskSource> Disks,
    IReadOnlyCollection<string> VmCheckpoints,
    BackupDestination Destination,
    BackupManifest? Existing,
    DateTime NowUtc);

namespace KvmPS.Engine.Backups;

/// <summary>What a restore will do: which backups, under what name, into which pool, as which volumes.</summary>
public sealed record RestorePlan(
    string Directory,
    BackupManifest Manifest,
    IReadOnlyList<BackupManifestEntry> Chain,
    string VmName,
    bool AsCopy,
    string Pool,
    IReadOnlyList<RestorePlannedDisk> Disks,
    string DefinitionPath)
{
    public string Describe() =>
        $"Restore VM '{VmName}'{(AsCopy ? $" (a copy of '{Manifest.VmName}': new UUID and MAC addresses)" : "")} from {Chain.Count} backup(s) in '{Directory}'"
        + $" (up to backup {Chain[^1].Index}, {Chain[^1].CompletedUtc:u}) into pool '{Pool}' as {string.Join(", ", Disks.Select(d => d.VolumeName))}";
}

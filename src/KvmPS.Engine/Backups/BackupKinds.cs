namespace KvmPS.Engine.Backups;

/// <summary>The kinds of backup a manifest records.</summary>
public static class BackupKinds
{
    public const string Full = "Full";
    public const string Incremental = "Incremental";
}

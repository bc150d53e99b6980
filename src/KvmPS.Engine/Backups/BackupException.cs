namespace KvmPS.Engine.Backups;

/// <summary>A backup or restore refused or failed: a stable error id, its kind and what it is about (the VM or the directory).</summary>
public sealed class BackupException : Exception
{
    public BackupException(string errorId, KvmErrorKind kind, string target, string message, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Kind = kind;
        Target = target;
    }

    public string ErrorId { get; }

    public KvmErrorKind Kind { get; }

    public string Target { get; }
}

namespace KvmPS.Engine;

/// <summary>What kind of failure an error is, independent of PowerShell (the cmdlets map it to an ErrorCategory).</summary>
public enum KvmErrorKind
{
    Unknown, NotFound, AlreadyExists, InvalidArgument, InvalidOperation, PermissionDenied,
    AuthenticationFailed, NotSupported, ConnectionFailed, Timeout, ResourceBusy, Stopped, ReadFailed, WriteFailed,
}

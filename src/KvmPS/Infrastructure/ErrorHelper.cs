using System.Management.Automation;
using KvmPS.Engine;

namespace KvmPS.Commands;

/// <summary>Makes every ErrorRecord of the module: a stable ErrorId, the right category, the object as target.</summary>
internal static class ErrorHelper
{
    public static ErrorCategory CategoryOf(KvmErrorKind kind) => kind switch
    {
        KvmErrorKind.NotFound => ErrorCategory.ObjectNotFound,
        KvmErrorKind.AlreadyExists => ErrorCategory.ResourceExists,
        KvmErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        KvmErrorKind.InvalidOperation => ErrorCategory.InvalidOperation,
        KvmErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
        KvmErrorKind.AuthenticationFailed => ErrorCategory.AuthenticationError,
        KvmErrorKind.NotSupported => ErrorCategory.NotImplemented,
        KvmErrorKind.ConnectionFailed => ErrorCategory.ConnectionError,
        KvmErrorKind.Timeout => ErrorCategory.OperationTimeout,
        KvmErrorKind.ResourceBusy => ErrorCategory.ResourceBusy,
        KvmErrorKind.Stopped => ErrorCategory.OperationStopped,
        KvmErrorKind.ReadFailed => ErrorCategory.ReadError,
        KvmErrorKind.WriteFailed => ErrorCategory.WriteError,
        _ => ErrorCategory.NotSpecified,
    };

    /// <summary>An ErrorRecord for a libvirt failure: libvirt's message and code, no stack trace.</summary>
    public static ErrorRecord Libvirt(LibvirtException ex, string errorId, object? target, string? context = null)
    {
        var record = new ErrorRecord(ex, errorId, CategoryOf(ex.Kind), target);
        string prefix = context is null ? "" : context + ": ";
        record.ErrorDetails = new ErrorDetails($"{prefix}{ex.LibvirtMessage} (libvirt error {(int)ex.Code} {ex.Code}, in {ex.Function})");
        return record;
    }

    /// <summary>
    /// An engine's refusal of a request (checked before anything changed), as the ErrorRecord a
    /// user expects: an exception type and category that fit its kind.
    /// </summary>
    public static ErrorRecord Refusal(KvmErrorKind kind, string message, string errorId, object? target) => Create(kind switch
    {
        KvmErrorKind.NotFound => new ItemNotFoundException(message),
        KvmErrorKind.AlreadyExists => new InvalidOperationException(message),
        KvmErrorKind.NotSupported => new NotSupportedException(message),
        _ => new ArgumentException(message),
    }, errorId, CategoryOf(kind), target);

    public static ErrorRecord Create(Exception ex, string errorId, ErrorCategory category, object? target, string? message = null)
    {
        var record = new ErrorRecord(ex, errorId, category, target);
        if (message is not null)
        {
            record.ErrorDetails = new ErrorDetails(message);
        }
        return record;
    }

    /// <summary>
    /// The category of a failure of the local host rather than of libvirt (a file that cannot be
    /// read or written, a path PowerShell cannot resolve, a helper program that is missing), or
    /// null for anything else.
    /// </summary>
    public static ErrorCategory? CategoryOfHostFailure(Exception e) => e switch
    {
        UnauthorizedAccessException => ErrorCategory.PermissionDenied,
        FileNotFoundException or DirectoryNotFoundException => ErrorCategory.ObjectNotFound,
        IOException => ErrorCategory.WriteError,
        System.ComponentModel.Win32Exception => ErrorCategory.NotInstalled,
        SessionStateException or PSArgumentException or NotSupportedException => ErrorCategory.InvalidArgument,
        _ => null,
    };

    /// <summary>ObjectNotFound for a name; <paramref name="hint"/> is appended (e.g. NameMatch.CaseHint's "Did you mean ...?").</summary>
    public static ErrorRecord NotFound(string what, string name, string errorId, object? target = null, string hint = "") =>
        Create(new ItemNotFoundException($"No {what} named '{name}' was found.{hint}"), errorId, ErrorCategory.ObjectNotFound, target ?? name);

    public static ErrorRecord InvalidArgument(string message, string errorId, object? target) =>
        Create(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, target);

    public static ErrorRecord ConnectionLost(KvmConnectionLostException ex, string errorId) =>
        Create(ex, errorId, ErrorCategory.ConnectionError, ex.Uri, ex.Message);
}

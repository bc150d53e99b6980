namespace KvmPS.Engine.Tuning;

/// <summary>What kind of refusal a tuning request met.</summary>
public enum TuningErrorKind
{
    /// <summary>The request itself is wrong (out of range, malformed, inconsistent).</summary>
    InvalidArgument,
    /// <summary>The request is sound but the VM cannot take it (no IOThreads, transient VM, ...).</summary>
    InvalidOperation,
    /// <summary>The host lacks what the request needs (free CPUs, a known CPU vendor, ...).</summary>
    ResourceUnavailable,
}

/// <summary>
/// A tuning request refused before anything changed: carries a stable id for the ErrorRecord and
/// the kind of refusal.
/// </summary>
public sealed class TuningException : Exception
{
    public TuningException(string errorId, string message, TuningErrorKind kind = TuningErrorKind.InvalidArgument)
        : base(message)
    {
        ErrorId = errorId;
        Kind = kind;
    }

    /// <summary>Stable identifier, e.g. VCpuOutOfRange.</summary>
    public string ErrorId { get; }

    public TuningErrorKind Kind { get; }

    internal static TuningException Invalid(string errorId, string message) => new(errorId, message);
}

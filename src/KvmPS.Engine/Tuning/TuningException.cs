namespace KvmPS.Engine.Tuning;

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

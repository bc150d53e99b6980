namespace KvmPS.Engine.Networks;

/// <summary>A request refused by the planner: a stable error id, the kind of failure and a message that says what to change.</summary>
public sealed class NetworkPlanException : Exception
{
    public NetworkPlanException(string errorId, KvmErrorKind kind, string message) : base(message)
    {
        ErrorId = errorId;
        Kind = kind;
    }

    public string ErrorId { get; }

    public KvmErrorKind Kind { get; }
}

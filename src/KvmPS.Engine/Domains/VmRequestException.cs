namespace KvmPS.Engine.Domains;

/// <summary>
/// A VM request the provisioner refuses before creating anything: a stable error id, the kind of
/// refusal and the object it is about (the VM, a network, a pool), for the cmdlet's ErrorRecord.
/// </summary>
public sealed class VmRequestException : Exception
{
    public VmRequestException(string errorId, KvmErrorKind kind, string target, string message)
        : base(message)
    {
        ErrorId = errorId;
        Kind = kind;
        Target = target;
    }

    public string ErrorId { get; }

    public KvmErrorKind Kind { get; }

    public string Target { get; }

    internal static VmRequestException Invalid(string name, string errorId, string message) =>
        new(errorId, KvmErrorKind.InvalidArgument, name, message);
}

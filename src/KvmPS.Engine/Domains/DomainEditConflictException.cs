namespace KvmPS.Engine.Domains;

/// <summary>
/// A change of a VM's persistent definition given up because someone else kept changing the
/// definition between the read and the define: nothing of this change was defined.
/// </summary>
public sealed class DomainEditConflictException : Exception
{
    public DomainEditConflictException(string vm, int attempts)
        : base((attempts == 0
                ? $"VM '{vm}' is being edited by another process of this machine, which held it longer than the wait allows; "
                : $"VM '{vm}' was changed by someone else {attempts} times while this change was being made; ")
            + "the change was not made. Try again.")
    {
        VMName = vm;
        Attempts = attempts;
    }

    /// <summary>Stable identifier for the ErrorRecord.</summary>
    public string ErrorId => "ConcurrentEdit";

    public KvmErrorKind Kind => KvmErrorKind.ResourceBusy;

    public string VMName { get; }

    /// <summary>How many times the edit was applied, each time to a definition that changed before it could be defined.</summary>
    public int Attempts { get; }
}

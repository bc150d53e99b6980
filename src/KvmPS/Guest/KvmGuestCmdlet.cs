using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Guest;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>
/// Base of the cmdlets that reach inside a VM (agent, console, screen): a guest agent failure
/// becomes an ErrorRecord with its own ErrorId and category for that VM, and the pipeline goes on.
/// </summary>
public abstract class KvmGuestCmdlet : KvmVMCmdlet
{
    protected sealed override void ProcessVM(LibvirtConnection conn, DomainHandle domain, string name)
    {
        try
        {
            ProcessGuest(conn, domain, name);
        }
        catch (GuestAgentException e)
        {
            WriteError(ErrorHelper.Create(e, e.ErrorId, CategoryOf(e.Failure), name, e.Message));
        }
    }

    /// <summary>The work for one VM.</summary>
    protected abstract void ProcessGuest(LibvirtConnection conn, DomainHandle domain, string name);

    internal static ErrorCategory CategoryOf(GuestAgentFailure failure) => failure switch
    {
        GuestAgentFailure.Absent => ErrorCategory.NotInstalled,
        GuestAgentFailure.NotRunning => ErrorCategory.ResourceUnavailable,
        GuestAgentFailure.CommandDisabled => ErrorCategory.PermissionDenied,
        GuestAgentFailure.CommandUnknown => ErrorCategory.NotImplemented,
        GuestAgentFailure.VMNotRunning => ErrorCategory.InvalidOperation,
        GuestAgentFailure.Timeout => ErrorCategory.OperationTimeout,
        GuestAgentFailure.TooLarge => ErrorCategory.LimitsExceeded,
        _ => ErrorCategory.InvalidResult,
    };

    /// <summary>An ErrorRecord for a request refused before anything was done.</summary>
    protected ErrorRecord Refuse(string errorId, ErrorCategory category, string target, string message) =>
        ErrorHelper.Create(new ArgumentException(message), errorId, category, target, message);
}

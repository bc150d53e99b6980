using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>
/// Base of the cmdlets that move a VM from one state to another with one libvirt call (Start,
/// Suspend, Resume): a VM already there is left as it is, a VM in a state the change does not
/// start from is refused, anything else is changed after ShouldProcess; -PassThru returns it.
/// </summary>
public abstract class KvmVMStateChangeCmdlet : KvmVMCmdlet
{
    /// <summary>Returns the VM.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>The action as ShouldProcess shows it ("Start VM").</summary>
    protected abstract string Action { get; }

    /// <summary>The state the change leads to, as the verbose line says it ("running").</summary>
    protected abstract string Outcome { get; }

    /// <summary>Whether a VM in this state is there already.</summary>
    protected abstract bool IsDone(KvmVMState state);

    /// <summary>Why a VM in this state cannot be changed (error id and message), or null when it can.</summary>
    protected abstract (string ErrorId, string Message)? Refusal(string name, KvmVMState state);

    /// <summary>The libvirt call.</summary>
    protected abstract void Change(DomainHandle h);

    protected sealed override void ProcessVM(LibvirtConnection conn, DomainHandle h, string name)
    {
        var (state, _) = DomainService.GetState(h);
        if (IsDone(state))
        {
            WriteVerbose($"VM '{name}' is already {Outcome}.");
        }
        else if (Refusal(name, state) is var (errorId, message))
        {
            WriteError(ErrorHelper.Create(new InvalidOperationException(message), errorId, ErrorCategory.InvalidOperation, name));
            return;
        }
        else if (ShouldProcess(name, Action))
        {
            Change(h);
        }
        else
        {
            return;
        }
        if (PassThru)
        {
            WriteVM(conn, h);
        }
    }
}

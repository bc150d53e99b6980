using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Pauses running virtual machines (their vCPUs stop; memory stays allocated).</summary>
[Cmdlet(VerbsLifecycle.Suspend, "KvmVM", SupportsShouldProcess = true, DefaultParameterSetName = "Name")]
[OutputType(typeof(KvmVM))]
public sealed class SuspendKvmVMCommand : KvmVMCmdlet
{
    /// <summary>Returns the VM.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessVM(LibvirtConnection conn, DomainHandle h, string name)
    {
        var (state, _) = DomainService.GetState(h);
        if (state == KvmVMState.Paused)
        {
            WriteVerbose($"VM '{name}' is already paused.");
        }
        else if (state is not (KvmVMState.Running or KvmVMState.Blocked))
        {
            WriteError(ErrorHelper.Create(new InvalidOperationException($"VM '{name}' is not running (state {state})."),
                "VMNotRunning", ErrorCategory.InvalidOperation, name));
            return;
        }
        else if (ShouldProcess(name, "Suspend VM"))
        {
            DomainService.Suspend(h);
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

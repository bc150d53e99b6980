using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Resumes paused virtual machines.</summary>
[Cmdlet(VerbsLifecycle.Resume, "KvmVM", SupportsShouldProcess = true, DefaultParameterSetName = "Name")]
[OutputType(typeof(KvmVM))]
public sealed class ResumeKvmVMCommand : KvmVMCmdlet
{
    /// <summary>Returns the VM.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessVM(LibvirtConnection conn, DomainHandle h, string name)
    {
        var (state, _) = DomainService.GetState(h);
        if (state is KvmVMState.Running or KvmVMState.Blocked)
        {
            WriteVerbose($"VM '{name}' is already running.");
        }
        else if (state != KvmVMState.Paused)
        {
            WriteError(ErrorHelper.Create(new InvalidOperationException($"VM '{name}' is not paused (state {state})."),
                "VMNotPaused", ErrorCategory.InvalidOperation, name));
            return;
        }
        else if (ShouldProcess(name, "Resume VM"))
        {
            DomainService.Resume(h);
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

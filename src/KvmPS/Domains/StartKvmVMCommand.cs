using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Starts virtual machines.</summary>
[Cmdlet(VerbsLifecycle.Start, "KvmVM", SupportsShouldProcess = true, DefaultParameterSetName = "Name")]
[OutputType(typeof(KvmVM))]
public sealed class StartKvmVMCommand : KvmVMCmdlet
{
    /// <summary>Returns the started VM.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessVM(LibvirtConnection conn, DomainHandle h, string name)
    {
        var (state, _) = DomainService.GetState(h);
        if (state is KvmVMState.Running or KvmVMState.Blocked)
        {
            WriteVerbose($"VM '{name}' is already running.");
        }
        else if (state == KvmVMState.Paused)
        {
            WriteError(ErrorHelper.Create(new InvalidOperationException($"VM '{name}' is paused; use Resume-KvmVM."),
                "VMPaused", ErrorCategory.InvalidOperation, name));
            return;
        }
        else if (ShouldProcess(name, "Start VM"))
        {
            DomainService.Start(h);
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

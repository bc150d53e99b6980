using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Restarts virtual machines: a graceful reboot request, or a hard reset with -TurnOff.</summary>
[Cmdlet(VerbsLifecycle.Restart, "KvmVM", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVM))]
public sealed class RestartKvmVMCommand : KvmVMCmdlet
{
    /// <summary>
    /// Resets the VM at once (like pressing the reset button) instead of asking the guest to
    /// reboot; asks for confirmation as a high-impact action (unsaved guest data is lost).
    /// </summary>
    [Parameter]
    public SwitchParameter TurnOff { get; set; }

    /// <summary>Does not ask for confirmation (a reset with -TurnOff included). It never makes the restart harder: that is -TurnOff.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Returns the VM.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessVM(LibvirtConnection conn, DomainHandle h, string name)
    {
        var (state, _) = DomainService.GetState(h);
        if (state is not (KvmVMState.Running or KvmVMState.Blocked or KvmVMState.Paused))
        {
            WriteError(ErrorHelper.Create(new InvalidOperationException($"VM '{name}' is not running (state {state}); use Start-KvmVM."),
                "VMNotRunning", ErrorCategory.InvalidOperation, name));
            return;
        }
        if (TurnOff)
        {
            if (!ShouldProcess(name, "Reset VM (unsaved guest data is lost)", Force) || (!Force && !ConfirmHighImpact(name, "Reset VM")))
            {
                return;
            }
            DomainService.Reset(h);
        }
        else
        {
            if (!ShouldProcess(name, "Reboot VM", Force))
            {
                return;
            }
            DomainService.Reboot(h);
        }
        if (PassThru)
        {
            WriteVM(conn, h);
        }
    }
}

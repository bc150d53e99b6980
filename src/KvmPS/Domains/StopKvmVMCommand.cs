using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Shuts virtual machines down gracefully (ACPI), or turns them off at once with -TurnOff.</summary>
[Cmdlet(VerbsLifecycle.Stop, "KvmVM", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KvmVM))]
public sealed class StopKvmVMCommand : KvmVMCmdlet
{
    /// <summary>
    /// Turns the VM off at once (virsh destroy) instead of asking the guest to shut down; asks
    /// for confirmation as a high-impact action (unsaved guest data is lost).
    /// </summary>
    [Parameter]
    public SwitchParameter TurnOff { get; set; }

    /// <summary>Does not ask for confirmation (a hard stop with -TurnOff included). It never makes the stop harder: that is -TurnOff.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Seconds to wait for a graceful shutdown before reporting a timeout (default 120).</summary>
    [Parameter]
    [ValidateRange(0, 86400)]
    public int TimeoutSec { get; set; } = 120;

    /// <summary>Asks the guest to shut down and returns without waiting.</summary>
    [Parameter]
    public SwitchParameter NoWait { get; set; }

    /// <summary>Returns the stopped VM.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessVM(LibvirtConnection conn, DomainHandle h, string name)
    {
        var (state, _) = DomainService.GetState(h);
        if (state == KvmVMState.ShutOff)
        {
            WriteVerbose($"VM '{name}' is already shut off.");
            if (PassThru)
            {
                WriteVM(conn, h);
            }
            return;
        }
        if (TurnOff)
        {
            // A hard stop loses the guest's unsaved state: confirm like the other destructive actions.
            if (!ShouldProcess(name, "Turn off VM (destroy: unsaved guest data is lost)", Force) || (!Force && !ConfirmHighImpact(name, "Turn off VM")))
            {
                return;
            }
            DomainService.Destroy(h);
        }
        else
        {
            if (!ShouldProcess(name, "Shut down VM (ACPI)", Force))
            {
                return;
            }
            DomainService.Shutdown(h);
            if (!NoWait && !WaitForState(h, name, KvmVMState.ShutOff, TimeoutSec, "Stopping VM").Reached)
            {
                WriteError(ErrorHelper.Create(
                    new TimeoutException($"VM '{name}' did not shut down within {TimeoutSec} s. It is still running; use Stop-KvmVM -TurnOff to turn it off{(Force ? " (-Force only skips confirmation)" : "")}."),
                    "ShutdownTimeout", ErrorCategory.OperationTimeout, name));
                return;
            }
        }
        if (PassThru)
        {
            WriteVM(conn, h);
        }
    }
}

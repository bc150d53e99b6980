using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Shuts virtual machines down gracefully (ACPI), or forcibly with -Force.</summary>
[Cmdlet(VerbsLifecycle.Stop, "KvmVM", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KvmVM))]
public sealed class StopKvmVMCommand : KvmVMCmdlet
{
    /// <summary>Turns the VM off at once (virsh destroy) instead of asking the guest to shut down.</summary>
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
        if (Force)
        {
            // Forced stop loses the guest's unsaved state: confirm like the other destructive actions.
            if (!ShouldProcess(name, "Force off VM (destroy: unsaved guest data is lost)") || !ConfirmHighImpact(name, "Force off VM"))
            {
                return;
            }
            DomainService.Destroy(h);
        }
        else
        {
            if (!ShouldProcess(name, "Shut down VM (ACPI)"))
            {
                return;
            }
            DomainService.Shutdown(h);
            if (!NoWait && !WaitForState(h, name, KvmVMState.ShutOff, TimeoutSec, "Stopping VM").Reached)
            {
                WriteError(ErrorHelper.Create(
                    new TimeoutException($"VM '{name}' did not shut down within {TimeoutSec} s. It is still running; use Stop-KvmVM -Force to turn it off."),
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

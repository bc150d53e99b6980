using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Waits until virtual machines reach a state.</summary>
[Cmdlet(VerbsLifecycle.Wait, "KvmVM")]
[OutputType(typeof(KvmVM))]
public sealed class WaitKvmVMCommand : KvmVMCmdlet
{
    /// <summary>The state to wait for.</summary>
    [Parameter(Mandatory = true)]
    [VMStateArgument]
    public KvmVMState State { get; set; }

    /// <summary>Seconds to wait before reporting a timeout (default 60).</summary>
    [Parameter]
    [ValidateRange(0, 86400)]
    public int TimeoutSec { get; set; } = 60;

    /// <summary>Returns the VM once it is in the state.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessVM(LibvirtConnection conn, DomainHandle h, string name)
    {
        var (reached, now) = WaitForState(h, name, State, TimeoutSec, "Waiting for VM");
        if (!reached)
        {
            WriteError(ErrorHelper.Create(
                new TimeoutException($"VM '{name}' did not reach state {State} within {TimeoutSec} s (it is {now})."),
                "WaitTimeout", ErrorCategory.OperationTimeout, name));
            return;
        }
        if (PassThru)
        {
            WriteVM(conn, h);
        }
    }
}

using System.Management.Automation;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Pauses running virtual machines (their vCPUs stop; memory stays allocated).</summary>
[Cmdlet(VerbsLifecycle.Suspend, "KvmVM", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVM))]
public sealed class SuspendKvmVMCommand : KvmVMStateChangeCmdlet
{
    protected override string Action => "Suspend VM";

    protected override string Outcome => "paused";

    protected override bool IsDone(KvmVMState state) => state == KvmVMState.Paused;

    protected override (string ErrorId, string Message)? Refusal(string name, KvmVMState state) =>
        state is KvmVMState.Running or KvmVMState.Blocked ? null : ("VMNotRunning", $"VM '{name}' is not running (state {state}).");

    protected override void Change(DomainHandle h) => DomainService.Suspend(h);
}

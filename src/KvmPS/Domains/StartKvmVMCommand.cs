using System.Management.Automation;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Starts virtual machines.</summary>
[Cmdlet(VerbsLifecycle.Start, "KvmVM", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVM))]
public sealed class StartKvmVMCommand : KvmVMStateChangeCmdlet
{
    protected override string Action => "Start VM";

    protected override string Outcome => "running";

    protected override bool IsDone(KvmVMState state) => state is KvmVMState.Running or KvmVMState.Blocked;

    protected override (string ErrorId, string Message)? Refusal(string name, KvmVMState state) =>
        state == KvmVMState.Paused ? ("VMPaused", $"VM '{name}' is paused; use Resume-KvmVM.") : null;

    protected override void Change(DomainHandle h) => DomainService.Start(h);
}

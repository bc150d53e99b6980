using System.Management.Automation;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Resumes paused virtual machines.</summary>
[Cmdlet(VerbsLifecycle.Resume, "KvmVM", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVM))]
public sealed class ResumeKvmVMCommand : KvmVMStateChangeCmdlet
{
    protected override string Action => "Resume VM";

    protected override string Outcome => "running";

    protected override bool IsDone(KvmVMState state) => state is KvmVMState.Running or KvmVMState.Blocked;

    protected override (string ErrorId, string Message)? Refusal(string name, KvmVMState state) =>
        state == KvmVMState.Paused ? null : ("VMNotPaused", $"VM '{name}' is not paused (state {state}).");

    protected override void Change(DomainHandle h) => DomainService.Resume(h);
}

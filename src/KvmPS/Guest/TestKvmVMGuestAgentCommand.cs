using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Guest;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Tells whether a VM's guest agent is configured, connected, answering, and which commands its policy allows.</summary>
[Cmdlet(VerbsDiagnostic.Test, "KvmVMGuestAgent")]
[OutputType(typeof(KvmGuestAgentStatus), typeof(bool))]
public sealed class TestKvmVMGuestAgentCommand : KvmGuestCmdlet
{
    /// <summary>Returns only whether the agent answers ($true or $false) instead of the status object.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void ProcessGuest(LibvirtConnection conn, DomainHandle domain, string name)
    {
        KvmGuestAgentStatus status = GuestAgentProbe.Probe(domain, name, conn.Uri);
        if (status.Problem is string p)
        {
            WriteVerbose(p);
        }
        WriteObject(Quiet ? status.Responding : status);
    }
}

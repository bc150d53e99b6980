using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Guest;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Reads what a running guest reports about itself: from its agent, else its addresses from DHCP leases or ARP.</summary>
[Cmdlet(VerbsCommon.Get, "KvmVMGuestInfo")]
[OutputType(typeof(KvmGuestInfo))]
public sealed class GetKvmVMGuestInfoCommand : KvmGuestCmdlet
{
    protected override void ProcessGuest(LibvirtConnection conn, DomainHandle domain, string name)
    {
        if (!KvmPS.Engine.Domains.DomainService.IsActive(domain))
        {
            throw new GuestAgentException(GuestAgentFailure.VMNotRunning, $"VM '{name}' is not running: only a running guest can report about itself.");
        }
        KvmGuestInfo info = GuestInfoReader.Read(domain, name, conn.Uri);
        if (info.AgentProblem is string problem)
        {
            WriteVerbose($"Only the interfaces are known (from libvirt's DHCP leases or the host's ARP table): {problem}");
        }
        WriteObject(info);
    }
}

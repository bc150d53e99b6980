using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Native;
using KvmPS.Engine.Networks;

namespace KvmPS.Commands;

/// <summary>Removes libvirt networks: stops a running one, then undefines it.</summary>
[Cmdlet(VerbsCommon.Remove, "KvmNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveKvmNetworkCommand : KvmNetworkCmdlet
{
    /// <summary>Does not ask for confirmation, and removes the network even though running VMs use it (they lose their connection).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessNetwork(LibvirtConnection conn, NetworkHandle h, string name)
    {
        bool active = NetworkService.IsActive(h);
        bool persistent = NetworkService.IsPersistent(h);
        var (running, defined) = NetworkService.VMsUsing(conn, name);
        if (!AllowedToCutOff(name, running, Force, "Removing"))
        {
            return;
        }
        string action = active ? "Stop and remove network" : "Remove network";
        if (running.Count > 0)
        {
            action += $", disconnecting running VM(s) {string.Join(", ", running)}";
        }
        if (!ShouldProcess(name, action, Force))
        {
            return;
        }
        if (defined.Count > 0)
        {
            WriteWarning($"VM(s) {string.Join(", ", defined)} have an interface on network '{name}' and cannot start until it exists again.");
        }
        if (active)
        {
            NetworkService.Stop(h);
            WriteVerbose($"Stopped network '{name}'.");
        }
        if (persistent)
        {
            NetworkService.Undefine(h);
        }
        WriteVerbose($"Removed network '{name}'.");
    }
}

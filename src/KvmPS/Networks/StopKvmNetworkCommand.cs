using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Native;
using KvmPS.Engine.Networks;

namespace KvmPS.Commands;

/// <summary>Stops libvirt networks. A network that running VMs use is refused unless -Force is given.</summary>
[Cmdlet(VerbsLifecycle.Stop, "KvmNetwork", SupportsShouldProcess = true)]
[OutputType(typeof(KvmNetwork))]
public sealed class StopKvmNetworkCommand : KvmNetworkCmdlet
{
    /// <summary>Does not ask for confirmation, and stops the network even though running VMs use it (they lose their connection).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Returns the stopped network (nothing for a transient network, which stopping removes).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessNetwork(LibvirtConnection conn, NetworkHandle h, string name)
    {
        if (!NetworkService.IsActive(h))
        {
            WriteVerbose($"Network '{name}' is not running.");
            if (PassThru)
            {
                WriteNetwork(conn, h);
            }
            return;
        }
        bool persistent = NetworkService.IsPersistent(h);
        var (running, _) = NetworkService.VMsUsing(conn, name);
        if (!AllowedToCutOff(name, running, Force, "Stopping"))
        {
            return;
        }
        string action = persistent ? "Stop network" : "Stop network (it is transient: stopping removes it)";
        if (running.Count > 0)
        {
            action += $", disconnecting running VM(s) {string.Join(", ", running)}";
        }
        if (!ShouldProcess(name, action, Force))
        {
            return;
        }
        if ((running.Count > 0 || !persistent) && !Force && !ConfirmHighImpact(name, action))
        {
            return;
        }
        NetworkService.Stop(h);
        WriteVerbose($"Stopped network '{name}'.");
        if (PassThru && persistent)
        {
            WriteNetwork(conn, h);
        }
    }
}

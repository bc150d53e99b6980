using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Native;
using KvmPS.Engine.Networks;

namespace KvmPS.Commands;

/// <summary>Changes whether libvirt networks start with the libvirt daemon.</summary>
[Cmdlet(VerbsCommon.Set, "KvmNetwork", SupportsShouldProcess = true)]
[OutputType(typeof(KvmNetwork))]
public sealed class SetKvmNetworkCommand : KvmNetworkCmdlet
{
    /// <summary>Start the network with the libvirt daemon (-Autostart) or not (-Autostart:$false).</summary>
    [Parameter]
    public SwitchParameter Autostart { get; set; }

    /// <summary>Returns the network after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessNetwork(LibvirtConnection conn, NetworkHandle h, string name)
    {
        bool wanted = Autostart.IsPresent;
        if (!IsBound(nameof(Autostart)))
        {
            WriteVerbose($"Nothing to change for network '{name}': give -Autostart or -Autostart:$false.");
        }
        else if (NetworkService.GetAutostart(h) == wanted)
        {
            WriteVerbose($"Network '{name}' already has autostart {(wanted ? "on" : "off")}.");
        }
        else if (ShouldProcess(name, $"Set autostart {(wanted ? "on" : "off")}"))
        {
            NetworkService.SetAutostart(h, wanted);
        }
        else
        {
            return;
        }
        if (PassThru)
        {
            WriteNetwork(conn, h);
        }
    }
}

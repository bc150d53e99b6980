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
    /// <summary>Whether the network starts with the libvirt daemon.</summary>
    [Parameter(Mandatory = true)]
    public bool Autostart { get; set; }

    /// <summary>Returns the network after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessNetwork(LibvirtConnection conn, NetworkHandle h, string name)
    {
        if (NetworkService.GetAutostart(h) == Autostart)
        {
            WriteVerbose($"Network '{name}' already has autostart {(Autostart ? "on" : "off")}.");
        }
        else if (ShouldProcess(name, $"Set autostart {(Autostart ? "on" : "off")}"))
        {
            NetworkService.SetAutostart(h, Autostart);
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

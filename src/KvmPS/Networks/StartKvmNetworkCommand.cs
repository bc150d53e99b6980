using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Native;
using KvmPS.Engine.Networks;

namespace KvmPS.Commands;

/// <summary>Starts libvirt networks: bridge up with its address, DHCP and DNS server running.</summary>
[Cmdlet(VerbsLifecycle.Start, "KvmNetwork", SupportsShouldProcess = true)]
[OutputType(typeof(KvmNetwork))]
public sealed class StartKvmNetworkCommand : KvmNetworkCmdlet
{
    /// <summary>Returns the started network.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessNetwork(LibvirtConnection conn, NetworkHandle h, string name)
    {
        if (NetworkService.IsActive(h))
        {
            WriteVerbose($"Network '{name}' is already running.");
        }
        else if (ShouldProcess(name, "Start network"))
        {
            NetworkService.Start(h);
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

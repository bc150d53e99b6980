using System.Management.Automation;
using KvmPS.Engine.Storage;

namespace KvmPS.Commands;

/// <summary>Changes settings of storage pools: whether they start with the libvirt daemon.</summary>
[Cmdlet(VerbsCommon.Set, "KvmStoragePool", SupportsShouldProcess = true)]
[OutputType(typeof(KvmStoragePool))]
public sealed class SetKvmStoragePoolCommand : StoragePoolActionCmdlet
{
    /// <summary>Start the pool with the daemon (-Autostart) or not (-Autostart:$false).</summary>
    [Parameter]
    public SwitchParameter Autostart { get; set; }

    /// <summary>Returns the pool after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override string FailureErrorId => "SetStoragePoolFailed";

    private protected override void ProcessPool(StoragePool pool)
    {
        if (IsBound(nameof(Autostart)))
        {
            bool wanted = Autostart.IsPresent;
            if (pool.Autostart == wanted)
            {
                WriteVerbose($"Storage pool '{pool.Name}' already has autostart {(wanted ? "on" : "off")}.");
            }
            else if (ShouldProcess(pool.Name, $"Turn autostart {(wanted ? "on" : "off")}"))
            {
                pool.Autostart = wanted;
                WriteVerbose($"Turned autostart {(wanted ? "on" : "off")} for storage pool '{pool.Name}'.");
            }
            else
            {
                return;
            }
        }
        else
        {
            WriteVerbose($"Nothing to change for storage pool '{pool.Name}': give -Autostart or -Autostart:$false.");
        }
        if (PassThru)
        {
            WriteObject(pool.Describe());
        }
    }
}

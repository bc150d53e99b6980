using System.Management.Automation;
using KvmPS.Engine.Storage;

namespace KvmPS.Commands;

/// <summary>Stops storage pools; their definitions and data stay.</summary>
[Cmdlet(VerbsLifecycle.Stop, "KvmStoragePool", SupportsShouldProcess = true)]
[OutputType(typeof(KvmStoragePool))]
public sealed class StopKvmStoragePoolCommand : StoragePoolActionCmdlet
{
    /// <summary>Returns the pool after stopping it (a transient pool no longer exists then, so it returns nothing).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override string FailureErrorId => "StopStoragePoolFailed";

    private protected override void ProcessPool(StoragePool pool)
    {
        if (!pool.IsActive)
        {
            WriteVerbose($"Storage pool '{pool.Name}' is already stopped.");
        }
        else if (ShouldProcess(pool.Name, "Stop storage pool"))
        {
            bool persistent = pool.IsPersistent;
            pool.Stop();
            WriteVerbose(persistent
                ? $"Stopped storage pool '{pool.Name}'."
                : $"Stopped storage pool '{pool.Name}'; it was transient, so it no longer exists.");
            if (!persistent)
            {
                return;
            }
        }
        else
        {
            return;
        }
        if (PassThru)
        {
            WriteObject(pool.Describe());
        }
    }
}

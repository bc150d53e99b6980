using System.Management.Automation;
using KvmPS.Engine.Storage;

namespace KvmPS.Commands;

/// <summary>Starts storage pools (a pool must run before its volumes can be used).</summary>
[Cmdlet(VerbsLifecycle.Start, "KvmStoragePool", SupportsShouldProcess = true)]
[OutputType(typeof(KvmStoragePool))]
public sealed class StartKvmStoragePoolCommand : StoragePoolActionCmdlet
{
    /// <summary>Returns the pool after starting it.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override string FailureErrorId => "StartStoragePoolFailed";

    private protected override void ProcessPool(StoragePool pool)
    {
        if (pool.IsActive)
        {
            WriteVerbose($"Storage pool '{pool.Name}' is already running.");
        }
        else if (ShouldProcess(pool.Name, "Start storage pool"))
        {
            pool.Start();
            WriteVerbose($"Started storage pool '{pool.Name}'.");
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

using System.Management.Automation;

namespace KvmPS.Commands;

/// <summary>Starts storage pools (a pool must run before its volumes can be used).</summary>
[Cmdlet(VerbsLifecycle.Start, "KvmStoragePool", SupportsShouldProcess = true)]
[OutputType(typeof(KvmStoragePool))]
public sealed class StartKvmStoragePoolCommand : StorageCmdlet
{
    /// <summary>Names of the pools to start.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StoragePoolNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Returns the pool after starting it.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override string FailureErrorId => "StartStoragePoolFailed";

    protected override void ProcessRecordCore() => ForEachPool(Name, pool =>
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
    });
}

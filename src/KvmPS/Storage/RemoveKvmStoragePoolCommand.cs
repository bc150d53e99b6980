using System.Management.Automation;
using KvmPS.Engine.Storage;

namespace KvmPS.Commands;

/// <summary>
/// Removes storage pools: stops and undefines them. Their storage (the directory and the volumes
/// in it) stays unless -DeleteData asks for it to be deleted.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "KvmStoragePool", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
public sealed class RemoveKvmStoragePoolCommand : StoragePoolActionCmdlet
{
    /// <summary>Also deletes every volume of the pool and then the pool's storage itself (virStoragePoolDelete: the directory, the volume group, ...).</summary>
    [Parameter]
    public SwitchParameter DeleteData { get; set; }

    protected override string FailureErrorId => "RemoveStoragePoolFailed";

    private protected override void ProcessPool(StoragePool pool)
    {
        if (DeleteData && !pool.IsPersistent)
        {
            WriteError(ErrorHelper.InvalidArgument(
                $"Storage pool '{pool.Name}' is transient: it disappears when stopped, so its storage cannot be deleted through it. Stop it and delete the data at its path yourself.",
                "TransientPoolDeleteData", pool.Name));
            return;
        }
        StoragePoolDefinition d = pool.GetDefinition();
        string where = d.Path ?? d.SourceName ?? d.TypeName;
        string action = DeleteData
            ? $"Remove storage pool and DELETE its data: every volume and the storage at {where}"
            : $"Remove storage pool (stop and undefine; the data at {where} stays)";
        if (!ShouldProcess(pool.Name, action))
        {
            return;
        }
        if (DeleteData)
        {
            DeleteVolumes(pool);
        }
        if (pool.IsActive)
        {
            pool.Stop();
            WriteVerbose($"Stopped storage pool '{pool.Name}'.");
        }
        if (DeleteData)
        {
            pool.Delete();
            WriteVerbose($"Deleted the storage of pool '{pool.Name}' ({where}).");
        }
        // A transient pool is gone once stopped; only a persistent one has a definition to remove.
        if (StoragePool.TryLookup(pool.Connection, pool.Name) is StoragePool still)
        {
            using (still)
            {
                still.Undefine();
            }
        }
        WriteVerbose($"Removed storage pool '{pool.Name}'.");
    }

    private void DeleteVolumes(StoragePool pool)
    {
        // Volumes can only be listed and deleted while the pool runs.
        if (!pool.IsActive)
        {
            pool.Start();
            WriteVerbose($"Started storage pool '{pool.Name}' to delete its volumes.");
        }
        List<StorageVolume> volumes = pool.ListVolumes();
        try
        {
            foreach (StorageVolume vol in volumes)
            {
                vol.Delete();
                WriteVerbose($"Deleted volume '{pool.Name}/{vol.Name}'.");
            }
        }
        finally
        {
            volumes.ForEach(v => v.Dispose());
        }
    }
}

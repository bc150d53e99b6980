using System.Management.Automation;
using KvmPS.Engine;
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

    /// <summary>Does not ask for confirmation, and removes the pool (and with -DeleteData its volumes) even though VMs use its storage.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

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
        // Volumes can be listed only while the pool runs; an inactive one is checked by its
        // directory and by name here, and again volume by volume once started for -DeleteData.
        if (!UnusedOrForced(pool, d, pool.IsActive ? VolumesOf(pool) : new List<VolumeDefinition>()))
        {
            return;
        }
        string action = DeleteData
            ? $"Remove storage pool and DELETE its data: every volume and the storage at {where}"
            : $"Remove storage pool (stop and undefine; the data at {where} stays)";
        if (!ShouldProcess(pool.Name, action, Force))
        {
            return;
        }
        if (DeleteData && !DeleteVolumes(pool, d))
        {
            return;
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

    /// <summary>
    /// Deletes every volume, after checking (before the first delete) that no VM uses one and that
    /// nothing else would make the pool's deletion stop half-way. False, with the pool as it was
    /// found, when a check fails.
    /// </summary>
    private bool DeleteVolumes(StoragePool pool, StoragePoolDefinition d)
    {
        bool started = false;
        if (!pool.IsActive)
        {
            pool.Start();
            started = true;
            WriteVerbose($"Started storage pool '{pool.Name}' to delete its volumes.");
        }
        pool.Refresh(); // files added outside libvirt become volumes, and are checked too
        List<StorageVolume> volumes = pool.ListVolumes();
        try
        {
            List<VolumeDefinition> defs = Definitions(volumes);
            List<string> obstacles = StoragePoolDeletion.Obstacles(d, defs, pool.Connection.IsLocal);
            if (obstacles.Count > 0)
            {
                WriteError(ErrorHelper.Create(
                    new InvalidOperationException($"The data of storage pool '{pool.Name}' cannot be deleted in one go, so nothing was deleted: {string.Join("; ", obstacles)}. Move or delete those first."),
                    "StoragePoolDataNotDeletable", ErrorCategory.InvalidOperation, pool.Name));
            }
            // Started here, its volumes were not known to the first check.
            if (obstacles.Count > 0 || (started && !UnusedOrForced(pool, d, defs)))
            {
                if (started)
                {
                    pool.Stop();
                }
                return false;
            }
            foreach (StorageVolume vol in volumes)
            {
                vol.Delete();
                WriteVerbose($"Deleted volume '{pool.Name}/{vol.Name}'.");
            }
            return true;
        }
        finally
        {
            volumes.ForEach(v => v.Dispose());
        }
    }

    /// <summary>Whether no VM uses the pool's storage, or -Force says to go on (with a warning); else writes the refusal.</summary>
    private bool UnusedOrForced(StoragePool pool, StoragePoolDefinition d, List<VolumeDefinition> volumes)
    {
        IReadOnlyList<string> users = StorageUsage.Read(pool.Connection)
            .UsersOfPool(pool.Name, volumes.Select(v => v.Path).OfType<string>(), StoragePoolDeletion.VolumeDirectory(d));
        if (users.Count == 0)
        {
            return true;
        }
        if (Force)
        {
            WriteWarning($"VM(s) {string.Join(", ", users)} use storage of pool '{pool.Name}' (-Force: removing it anyway).");
            return true;
        }
        WriteError(ErrorHelper.Create(
            new InvalidOperationException($"Storage pool '{pool.Name}' is used by VM(s) {string.Join(", ", users)} (their disks, or images under their overlays, are in it). Remove those VMs or disks first, or use -Force to remove it anyway."),
            "StorageInUse", ErrorCategory.ResourceBusy, pool.Name));
        return false;
    }

    private static List<VolumeDefinition> VolumesOf(StoragePool pool)
    {
        pool.Refresh(); // libvirt's list may still hold files deleted outside it since the last refresh
        List<StorageVolume> volumes = pool.ListVolumes();
        try
        {
            return Definitions(volumes);
        }
        finally
        {
            volumes.ForEach(v => v.Dispose());
        }
    }

    // A volume that vanishes between the listing and the read is skipped, not an error.
    private static List<VolumeDefinition> Definitions(List<StorageVolume> volumes)
    {
        var defs = new List<VolumeDefinition>();
        foreach (StorageVolume v in volumes)
        {
            try
            {
                defs.Add(v.GetDefinition());
            }
            catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoStorageVol)
            {
            }
        }
        return defs;
    }
}

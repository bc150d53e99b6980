using KvmPS.Engine.Native;

namespace KvmPS.Engine.Domains;

/// <summary>The undo steps of <see cref="VmProvisioner.Apply"/> that need more than one call, and the commands its warnings name.</summary>
public static class VmUndo
{
    /// <summary>How to remove storage at a path that could not be removed after a failure.</summary>
    public static string RemoveStorageCommand(LibvirtConnection conn, string path, bool local) =>
        local ? $"{Leftover.RemoveFileCommand(path)} (or, if a pool holds it, Remove-KvmVolume)" : $"Remove-KvmVolume on {conn.Uri} for '{path}'";

    /// <summary>Removes a volume New-KvmVM was making, and its journal entry once it is gone.</summary>
    public static string DeletePending(LibvirtConnection conn, PendingVolumes pending, string pool, string name)
    {
        string said = VmStorage.DeletePoolVolumeIfExists(conn, pool, name);
        pending.Remove(conn.Uri, pool, name);
        return said;
    }

    /// <summary>Undoes a define: only the domain of this request (its UUID), whether or not the define's reply arrived.</summary>
    public static string UndefineIfOurs(LibvirtConnection conn, string name, Guid uuid)
    {
        DomainHandle h;
        try
        {
            h = conn.LookupDomain(uuid);
        }
        catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoDomain)
        {
            return $"VM '{name}' was not defined; nothing to undefine.";
        }
        using var owned = h;
        if (DomainService.IsActive(h))
        {
            DomainService.Destroy(h);
        }
        DomainService.Undefine(h, removeNvram: true);
        return $"Undefined the half-made VM '{name}'.";
    }
}

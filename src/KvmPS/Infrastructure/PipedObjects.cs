using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Native;
using KvmPS.Engine.Networks;
using KvmPS.Engine.Storage;

namespace KvmPS.Commands;

/// <summary>
/// Turns network and pool objects given to a parameter of their kind into the exact name of the
/// object on the host at hand: found by UUID (a network or pool removed and made again under the same
/// name is not the one that was read), else by exact name; an ObjectNotFound record when it is gone.
/// </summary>
internal static class PipedObjects
{
    /// <summary>The network's current name on <paramref name="conn"/>, or null with the error to write.</summary>
    public static string? NetworkName(LibvirtConnection conn, KvmNetwork net, out ErrorRecord? error)
    {
        using NetworkHandle? h = NetworkService.TryLookup(conn, net.Name, net.Uuid);
        error = h is null ? Gone("network", net.Name, net.Uuid, conn.Uri, "NetworkNotFound") : null;
        return h is null ? null : LibvirtConnection.GetName(h);
    }

    /// <summary>The pool's current name on <paramref name="conn"/>, or null with the error to write.</summary>
    public static string? PoolName(LibvirtConnection conn, KvmStoragePool pool, out ErrorRecord? error)
    {
        using StoragePool? p = StoragePool.TryLookup(conn, pool.Name, pool.Uuid);
        error = p is null ? Gone("storage pool", pool.Name, pool.Uuid, conn.Uri, "StoragePoolNotFound") : null;
        return p?.Name;
    }

    private static ErrorRecord Gone(string what, string name, Guid uuid, string uri, string errorId) =>
        ErrorHelper.Create(new ItemNotFoundException($"No {what} named '{name}'{(uuid == Guid.Empty ? "" : $" with UUID {uuid}")} was found on {uri}."),
            errorId, ErrorCategory.ObjectNotFound, name);
}

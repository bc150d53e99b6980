using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Native;
using KvmPS.Engine.Networks;

namespace KvmPS.Commands;

/// <summary>Name resolution and error records shared by the network cmdlets.</summary>
internal static class NetworkNames
{
    /// <summary>
    /// The networks each typed name selects, as NameMatch says: the exact name when a network has
    /// it, else the wildcard's matches (sorted); a literal name passes through as given so that the
    /// lookup reports a missing one. A wildcard that matches nothing is silent. Matched tells a
    /// name a wildcard found from one the user typed.
    /// </summary>
    public static IEnumerable<(string Name, bool Matched)> Resolve(LibvirtConnection conn, IEnumerable<string> names)
    {
        List<string>? all = null;
        foreach (string n in names)
        {
            var match = NameMatch.For(n);
            if (!match.IsWildcard)
            {
                yield return (n, false);
                continue;
            }
            all ??= NetworkService.Names(conn).ToList();
            foreach (string hit in match.Select(all))
            {
                yield return (hit, hit != n);
            }
        }
    }

    /// <summary>
    /// What a network cmdlet acts on: each piped network object on its own host (it names exactly
    /// that network), else each typed name as <see cref="Resolve"/> selects it on the cmdlet's host.
    /// </summary>
    public static IEnumerable<(LibvirtConnection Conn, string Name, bool Matched, KvmNetwork? Object)> Targets(
        Func<string?, LibvirtConnection> connectionFor, KvmNetwork[]? objects, IEnumerable<string> names)
    {
        if (objects is not null)
        {
            foreach (KvmNetwork n in objects)
            {
                yield return (connectionFor(n.Uri), n.Name, false, n);
            }
            yield break;
        }
        LibvirtConnection conn = connectionFor(null);
        foreach (var (name, matched) in Resolve(conn, names))
        {
            yield return (conn, name, matched, null);
        }
    }

    /// <summary>The network a piped object names (by UUID), or null after reporting that it is gone.</summary>
    public static NetworkHandle? Lookup(LibvirtConnection conn, KvmNetwork net, Action<ErrorRecord> writeError)
    {
        NetworkHandle? h = NetworkService.TryLookup(conn, net.Name, net.Uuid);
        if (h is null)
        {
            writeError(ErrorHelper.Create(new ItemNotFoundException($"No network named '{net.Name}' with UUID {net.Uuid} was found on {conn.Uri}."),
                "NetworkNotFound", ErrorCategory.ObjectNotFound, net.Name));
        }
        return h;
    }

    /// <summary>
    /// The network, or null after reporting a missing one. A network a wildcard found that is gone
    /// by the time it is looked up (another client removed it) is skipped without an error, as
    /// if the wildcard had not matched it.
    /// </summary>
    public static NetworkHandle? Lookup(LibvirtConnection conn, string name, bool matched, Action<ErrorRecord> writeError)
    {
        NetworkHandle? h = NetworkService.TryLookup(conn, name);
        if (h is null && !matched)
        {
            writeError(NotFound(name, NetworkService.Names(conn)));
        }
        return h;
    }

    public static ErrorRecord NotFound(string name, IEnumerable<string>? existing = null) =>
        ErrorHelper.NotFound("network", name, "NetworkNotFound", hint: existing is null ? "" : NameMatch.CaseHint(existing, name));

    public static ErrorRecord PlanError(NetworkPlanException e, object? target) =>
        ErrorHelper.Create(e, e.ErrorId, ErrorHelper.CategoryOf(e.Kind), target, e.Message);
}

using KvmPS.Engine.HostChecks;
using KvmPS.Engine.Native;
using KvmPS.Engine.Storage;

namespace KvmPS.Engine.Networks;

/// <summary>
/// New-KvmNetwork's work. Plan reads what the request is checked against — the host's other
/// networks and, on a local daemon, the routes its network driver sees — picks a free subnet when
/// none was given, and refuses conflicts; a network of the same name must be the same network
/// (then the request converges on it). Apply defines, sets autostart and starts, each only where
/// still needed; a new network that cannot be started or set to autostart is undefined again.
/// </summary>
public sealed class NetworkProvisioner
{
    private readonly DaemonHostView _view;
    private readonly Func<LibvirtConnection, bool> _readsHostRoutes;

    /// <summary>A provisioner that reads the daemon's view of the host from <paramref name="fs"/>.</summary>
    public NetworkProvisioner(IHostFileSystem fs) : this(fs, c => IsLocalDaemon(c))
    {
    }

    /// <summary>Tests point a test-driver connection at a fixture host's routes.</summary>
    internal NetworkProvisioner(IHostFileSystem fs, Func<LibvirtConnection, bool> readsHostRoutes)
    {
        _view = new DaemonHostView(fs);
        _readsHostRoutes = readsHostRoutes;
    }

    /// <summary>Whether the connection is a local daemon whose network driver makes real bridges (not the test driver, not a remote host).</summary>
    public static bool IsLocalDaemon(LibvirtConnection conn) => IsLocalDaemon(conn.Uri);

    /// <inheritdoc cref="IsLocalDaemon(LibvirtConnection)"/>
    public static bool IsLocalDaemon(string uri) =>
        LibvirtConnection.IsLocalUri(uri) && !uri.StartsWith("test:", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Works out what a validated request means on this host, reading only. Throws
    /// NetworkPlanException for a refused request (NetworkExists, SubnetOverlapsNetwork,
    /// SubnetOverlapsHostRoute, BridgeNameInUse, NoFreeSubnet).
    /// </summary>
    public NetworkProvision Plan(LibvirtConnection conn, NetworkPlanner.Plan plan, bool autostart, bool start,
        Action<string>? log = null, Action<string>? warn = null)
    {
        NetworkHandle? existing = NetworkService.TryLookup(conn, plan.Name);
        if (existing is not null)
        {
            try
            {
                return Converge(existing, plan, autostart, start, log);
            }
            catch
            {
                existing.Dispose();
                throw;
            }
        }
        return new NetworkProvision(PlanNew(conn, plan, log, warn), autostart, start, null);
    }

    private NetworkDefinition PlanNew(LibvirtConnection conn, NetworkPlanner.Plan plan, Action<string>? log, Action<string>? warn)
    {
        var others = NetworkService.ListAll(conn, withConfig: true).Select(s => new ExistingNetwork(
            s.Live.Name,
            s.Live.BridgeName ?? s.Config?.BridgeName,
            s.Live.Subnets.Concat(s.Config?.Subnets ?? Enumerable.Empty<IpSubnet>()).Distinct().ToList())).ToList();

        IReadOnlyList<HostRoute> routes = Array.Empty<HostRoute>();
        bool local = _readsHostRoutes(conn);
        if (local)
        {
            (routes, string source) = _view.ReadRoutes();
            log?.Invoke($"Checking against {routes.Count} host route(s) of {source}.");
        }
        else
        {
            log?.Invoke($"'{conn.Uri}' is not a local daemon: only its libvirt networks are checked for overlaps, not its routes.");
        }

        IpSubnet? picked = null;
        if (plan.NeedsSubnet)
        {
            picked = NetworkPlanner.PickFreeSubnet(others.SelectMany(o => o.Subnets).Concat(routes.Select(r => r.Destination)))
                ?? throw new NetworkPlanException("NoFreeSubnet", KvmErrorKind.InvalidOperation,
                    "No free subnet between 192.168.122.0/24 and 192.168.254.0/24: give one with -Subnet.");
            log?.Invoke($"No -Subnet given: using {picked}, the first free 192.168.x.0/24.");
        }
        NetworkDefinition def = NetworkPlanner.Build(plan, picked);
        NetworkPlanner.CheckConflicts(def, others, routes);

        if (def.Mode == KvmNetworkMode.Bridge && local && _view.FindInterface(def.BridgeName!) is var (exists, isBridge))
        {
            if (!exists)
            {
                warn?.Invoke($"Host bridge '{def.BridgeName}' does not exist on the host (as the libvirt daemon sees it). Guests on network '{plan.Name}' cannot start until it does.");
            }
            else if (!isBridge)
            {
                warn?.Invoke($"Host interface '{def.BridgeName}' is not a bridge. Guests on network '{plan.Name}' cannot start until it is one.");
            }
        }
        return def;
    }

    /// <summary>A network of that name exists: the same one is fine (state converges), a different one is refused.</summary>
    private static NetworkProvision Converge(NetworkHandle h, NetworkPlanner.Plan plan, bool autostart, bool start, Action<string>? log)
    {
        NetworkService.Snapshot snap = NetworkService.Read(h);
        NetworkDefinition have = snap.Defined;
        // Without -Subnet the request means "any free subnet": the one the network has is the one it would have got.
        IpSubnet? adopt = plan.NeedsSubnet ? have.IPv4?.Subnet : null;
        NetworkDefinition want = NetworkPlanner.Build(plan, adopt);
        IReadOnlyList<string> diffs = NetworkPlanner.Differences(want, have, compareBridgeName: plan.BridgeName is not null);
        if (diffs.Count > 0)
        {
            throw new NetworkPlanException("NetworkExists", KvmErrorKind.AlreadyExists,
                $"A different network named '{plan.Name}' exists: {string.Join("; ", diffs)}. Choose another name, or remove it first with Remove-KvmNetwork.");
        }
        log?.Invoke($"Network '{plan.Name}' already exists as requested ({NetworkProvision.Describe(have)}); nothing to define.");
        return new NetworkProvision(have, autostart && !snap.Autostart, start && !snap.Active, h);
    }

    /// <summary>
    /// Carries out a plan. Every change is first put to <paramref name="confirm"/> (the action in
    /// words; false skips it). Returns false when the definition of a new network was declined.
    /// A new network that cannot be set to autostart or started is undefined again and
    /// NetworkStartException thrown.
    /// </summary>
    public static bool Apply(LibvirtConnection conn, NetworkProvision p, Func<string, bool> confirm,
        Action<string>? log = null, Action<string>? warn = null)
    {
        if (p.Handle is NetworkHandle existing)
        {
            if (p.SetsAutostart && confirm("Set autostart on"))
            {
                NetworkService.SetAutostart(existing, true);
            }
            if (p.Starts && confirm("Start network"))
            {
                NetworkService.Start(existing);
                log?.Invoke($"Started network '{p.Name}'.");
            }
            return true;
        }
        if (!confirm($"Define {p.Description}"))
        {
            return false;
        }
        NetworkHandle h = NetworkService.Define(conn, p.Xml!);
        p.Handle = h;
        log?.Invoke($"Defined network '{p.Name}': {p.Description}.");
        try
        {
            if (p.SetsAutostart)
            {
                NetworkService.SetAutostart(h, true);
            }
            if (p.Starts)
            {
                NetworkService.Start(h);
                log?.Invoke($"Started network '{p.Name}'.");
            }
        }
        catch (LibvirtException e) when (conn.IsAlive)
        {
            // Half-made is worse than not made: take the definition back, then report.
            try
            {
                NetworkService.Undefine(h);
            }
            catch (LibvirtException undo)
            {
                warn?.Invoke($"Network '{p.Name}' could not be removed again after the failure: {undo.LibvirtMessage}");
            }
            throw new NetworkStartException(
                $"Network '{p.Name}' was defined but could not be {(p.Starts ? "started" : "set to autostart")}, so its definition was removed again", e);
        }
        return true;
    }
}

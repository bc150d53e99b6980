using System.Collections;
using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;
using KvmPS.Engine.Networks;
using KvmPS.Engine.Storage;

namespace KvmPS.Commands;

/// <summary>
/// Base of the cmdlets that act on existing networks. -Name takes names (wildcards allowed) or any
/// object with a Name (or Network) property, and -Uri binds from the same object, so networks
/// piped from Get-KvmNetwork -Uri A are acted on at host A. Each network is handled on its own:
/// one failure does not stop the others.
/// </summary>
public abstract class KvmNetworkCmdlet : KvmCmdlet
{
    /// <summary>Name(s) of the network; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Network", "NetworkName")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    private string? _current;

    protected override object? ErrorTarget => _current ?? (object?)EffectiveUri;

    protected override void ProcessRecordCore()
    {
        LibvirtConnection conn = GetConnection();
        foreach (var (name, matched) in NetworkNames.Resolve(conn, Name))
        {
            _current = name;
            try
            {
                using NetworkHandle? h = NetworkNames.Lookup(conn, name, matched, WriteError);
                if (h is not null)
                {
                    ProcessNetwork(conn, h, name);
                }
            }
            catch (NetworkPlanException e)
            {
                WriteError(NetworkNames.PlanError(e, name));
            }
            catch (LibvirtException e) when (conn.IsAlive)
            {
                WriteError(ErrorHelper.Libvirt(e, FailureErrorId, name));
            }
            finally
            {
                _current = null;
            }
        }
    }

    /// <summary>The work for one network.</summary>
    protected abstract void ProcessNetwork(LibvirtConnection conn, NetworkHandle network, string name);

    /// <summary>
    /// Refuses to cut running VMs off a network unless -Force was given: writes NetworkInUse and
    /// returns false.
    /// </summary>
    protected bool AllowedToCutOff(string name, List<string> running, bool force, string doing)
    {
        if (running.Count == 0 || force)
        {
            return true;
        }
        WriteError(ErrorHelper.Create(
            new InvalidOperationException($"Network '{name}' is used by running VM(s): {string.Join(", ", running)}. {doing} it cuts them off; use -Force to do it anyway."),
            "NetworkInUse", ErrorCategory.InvalidOperation, name));
        return false;
    }

    /// <summary>Emits the network as it is now (for -PassThru).</summary>
    protected void WriteNetwork(LibvirtConnection conn, NetworkHandle h) => WriteObject(NetworkService.Read(h).ToObject(conn.Uri));

    /// <summary>
    /// Running VMs with an interface on the network: stopping or removing it cuts them off. The
    /// VMs that are only defined with it are returned apart (they fail to start without it).
    /// </summary>
    protected static (List<string> Running, List<string> Defined) VMsUsing(LibvirtConnection conn, string network)
    {
        var running = new List<string>();
        var defined = new List<string>();
        foreach (KvmVM vm in DomainService.ListAll(conn))
        {
            if (!vm.NetworkAdapters.Any(n => n.Type == "network" && n.Source == network))
            {
                continue;
            }
            (vm.State is KvmVMState.ShutOff or KvmVMState.Crashed ? defined : running).Add(vm.Name);
        }
        return (running, defined);
    }
}

/// <summary>Name resolution and error records shared by the network cmdlets.</summary>
internal static class NetworkNames
{
    /// <summary>
    /// Expands wildcards against the host's networks (sorted); literal names pass through as given
    /// so that the lookup reports a missing one. A wildcard that matches nothing is silent.
    /// Matched tells a name a wildcard found from one the user typed.
    /// </summary>
    public static IEnumerable<(string Name, bool Matched)> Resolve(LibvirtConnection conn, IEnumerable<string> names)
    {
        List<string>? all = null;
        foreach (string n in names)
        {
            if (!WildcardPattern.ContainsWildcardCharacters(n))
            {
                yield return (n, false);
                continue;
            }
            all ??= NetworkService.Names(conn).ToList();
            var pattern = WildcardPattern.Get(n, WildcardOptions.IgnoreCase);
            foreach (string match in all.Where(pattern.IsMatch).OrderBy(x => x, StringComparer.Ordinal))
            {
                yield return (match, true);
            }
        }
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
            writeError(NotFound(name));
        }
        return h;
    }

    public static ErrorRecord NotFound(string name) => ErrorHelper.NotFound("network", name, "NetworkNotFound");

    public static ErrorRecord PlanError(NetworkPlanException e, object? target) =>
        ErrorHelper.Create(e, e.ErrorId, ErrorHelper.CategoryOf(e.Kind), target, e.Message);

    /// <summary>Whether the connection is a local daemon whose network driver makes real bridges (not the test driver, not a remote host).</summary>
    public static bool IsLocalDaemon(LibvirtConnection conn) =>
        VolumePlanner.IsLocal(conn.Uri) && !conn.Uri.StartsWith("test:", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Completes network names from the host the command line names (or the session default).</summary>
public sealed class NetworkNameCompleter : HostObjectCompleter
{
    private protected override List<string> Names(LibvirtConnection conn, IDictionary fakeBoundParameters) =>
        NetworkService.Names(conn).ToList();
}

/// <summary>
/// A network's live and config definitions, for virNetworkUpdate: a change goes to the running
/// network and to the config, each only where it is still needed, so that the two never
/// disagree about a reservation and a repeated command is harmless.
/// </summary>
internal sealed record ReservationSides(bool Active, bool Persistent, NetworkDefinition? Live, NetworkDefinition? Config)
{
    public static ReservationSides Read(NetworkHandle h)
    {
        NetworkService.Snapshot s = NetworkService.Read(h);
        return new ReservationSides(s.Active, s.Persistent, s.Active ? s.Live : null, s.Config);
    }

    /// <summary>The definition that is in force: the running one, else the config.</summary>
    public NetworkDefinition Current => Live ?? Config!;

    public IEnumerable<NetworkDefinition> All => new[] { Live, Config }.OfType<NetworkDefinition>();

    /// <summary>virNetworkUpdate's parentIndex: the position of the &lt;ip&gt; element among the network's.</summary>
    public int IndexOf(NetworkIp ip)
    {
        for (int i = 0; i < Current.Ips.Count; i++)
        {
            if (Current.Ips[i].Subnet == ip.Subnet)
            {
                return i;
            }
        }
        return -1;
    }
}

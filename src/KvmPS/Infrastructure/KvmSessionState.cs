using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using KvmPS.Engine;

namespace KvmPS.Commands;

/// <summary>
/// The connections of one runspace and its default host. Kept per runspace (like PowerShell's own
/// session state) so that runspaces running in parallel never close or redirect each other's
/// connections. Within a runspace a connection is opened once per URI and reused; libvirt
/// connections are thread-safe, so a cmdlet's worker thread may use one too. (libvirt itself
/// shares one test:///default state among all of a process's open connections to it; a custom
/// test host file, test:///path.xml, is private to each connection.)
/// </summary>
public sealed class KvmSessionState
{
    // The Lazy makes the factory run once when two threads ask at once: GetValue may build two
    // wrappers, but only the stored one is ever evaluated.
    private static readonly ConditionalWeakTable<Runspace, Lazy<KvmSessionState>> s_states = new();

    private readonly object _sync = new();
    // Keyed by the URI asked for and by the canonical URI libvirt reports, so that an object that
    // remembers "test:///default" finds the connection opened as the session default.
    private readonly Dictionary<string, LibvirtConnection> _byUri = new(StringComparer.Ordinal);
    private readonly LostHosts _lost = new();

    /// <summary>The URI set by Connect-KvmHost, or null.</summary>
    public string? DefaultUri { get; private set; }

    /// <summary>The state of the runspace the calling thread runs in.</summary>
    public static KvmSessionState Current =>
        For(Runspace.DefaultRunspace
            ?? throw new InvalidOperationException("KvmPS cmdlets must run in a PowerShell runspace."));

    /// <summary>The state of <paramref name="runspace"/>, made on first use.</summary>
    public static KvmSessionState For(Runspace runspace) =>
        s_states.GetValue(runspace, rs => new Lazy<KvmSessionState>(() => Create(rs), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    private static KvmSessionState Create(Runspace runspace)
    {
        var state = new KvmSessionState();
        // A closed runspace's connections are closed with it, not left to the finalizer.
        runspace.StateChanged += (_, e) =>
        {
            if (e.RunspaceStateInfo.State is RunspaceState.Closed or RunspaceState.Broken)
            {
                Release(runspace);
            }
        };
        return state;
    }

    /// <summary>
    /// Closes the connections of one runspace and forgets its default host; other runspaces keep
    /// theirs. Called when that runspace removes the module (or re-imports it with -Force) and
    /// when it closes.
    /// </summary>
    public static void Release(Runspace runspace)
    {
        if (s_states.TryGetValue(runspace, out Lazy<KvmSessionState>? lazy))
        {
            s_states.Remove(runspace);
            if (lazy.IsValueCreated)
            {
                lazy.Value.CloseAll();
            }
        }
    }

    /// <summary>The URI a cmdlet acts on: explicit, else the session default, else LIBVIRT_DEFAULT_URI, else libvirt's own default ("").</summary>
    public string ResolveUri(string? explicitUri)
    {
        if (!string.IsNullOrWhiteSpace(explicitUri))
        {
            return explicitUri!.Trim();
        }
        if (!string.IsNullOrEmpty(DefaultUri))
        {
            return DefaultUri!;
        }
        return Environment.GetEnvironmentVariable("LIBVIRT_DEFAULT_URI") ?? "";
    }

    /// <summary>
    /// Returns the open connection for a URI, opening it on first use. A cached connection whose
    /// daemon went away is closed and opened again; when that fails the error says so.
    /// </summary>
    public LibvirtConnection GetConnection(string uri, Action<string>? verbose = null, CancellationToken cancel = default)
    {
        lock (_sync)
        {
            if (_byUri.TryGetValue(uri, out LibvirtConnection? cached))
            {
                if (cached.IsAlive)
                {
                    return cached;
                }
                verbose?.Invoke($"The connection to '{Display(uri)}' is no longer alive; reopening it.");
                Forget(cached);
                cached.Dispose();
                _lost.Add(new[] { uri });
            }
            return _lost.Open(uri, Display(uri), () => OpenLocked(uri, verbose, cancel));
        }
    }

    private LibvirtConnection OpenLocked(string uri, Action<string>? verbose, CancellationToken cancel)
    {
        verbose?.Invoke($"Opening libvirt connection to '{Display(uri)}'.");
        LibvirtConnection conn = LibvirtConnection.Open(uri, ConnectionTimeouts.FromEnvironment(), cancel);
        verbose?.Invoke(conn.KeepAliveNote);
        _byUri[uri] = conn;
        _byUri.TryAdd(conn.Uri, conn);
        return conn;
    }

    public void SetDefault(string uri)
    {
        lock (_sync)
        {
            DefaultUri = uri;
        }
    }

    /// <summary>The distinct open connections of this runspace.</summary>
    public IReadOnlyList<LibvirtConnection> Connections
    {
        get
        {
            lock (_sync)
            {
                return _byUri.Values.Distinct().ToList();
            }
        }
    }

    /// <summary>Closes the connection for a URI (requested or canonical). Returns false when none is open.</summary>
    public bool Close(string uri)
    {
        lock (_sync)
        {
            if (!_byUri.TryGetValue(uri, out LibvirtConnection? conn))
            {
                return false;
            }
            if (DefaultUri is not null && (DefaultUri == uri || DefaultUri == conn.Uri || DefaultUri == conn.RequestedUri))
            {
                DefaultUri = null;
            }
            Forget(conn);
            conn.Dispose();
            KvmPS.Engine.Events.EventHub.Close(this, uri, conn.RequestedUri, conn.Uri);
            return true;
        }
    }

    /// <summary>Forgets and closes a connection that died; the session default URI stays.</summary>
    public void Drop(LibvirtConnection conn)
    {
        lock (_sync)
        {
            _lost.Add(_byUri.Where(kv => ReferenceEquals(kv.Value, conn)).Select(kv => kv.Key));
            Forget(conn);
            conn.Dispose();
        }
    }

    public bool IsDefault(LibvirtConnection conn)
    {
        string? d = DefaultUri;
        return d is not null && (d == conn.RequestedUri || d == conn.Uri);
    }

    private void Forget(LibvirtConnection conn)
    {
        foreach (string key in _byUri.Where(kv => ReferenceEquals(kv.Value, conn)).Select(kv => kv.Key).ToList())
        {
            _byUri.Remove(key);
        }
    }

    /// <summary>Closes every connection of this runspace and forgets its default host.</summary>
    public void CloseAll()
    {
        lock (_sync)
        {
            foreach (LibvirtConnection c in _byUri.Values.Distinct().ToList())
            {
                c.Dispose();
            }
            _byUri.Clear();
            _lost.Clear();
            DefaultUri = null;
            KvmPS.Engine.Events.EventHub.CloseAll(this);
        }
    }

    internal static string Display(string uri) => uri.Length == 0 ? "(libvirt default)" : uri;
}

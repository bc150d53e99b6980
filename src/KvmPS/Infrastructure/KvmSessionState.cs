using System.Management.Automation.Runspaces;
using KvmPS.Engine;

namespace KvmPS.Commands;

/// <summary>
/// The connections and default host of one runspace (runspaces never close or redirect each
/// other's); one connection per URI, reused, thread-safe for workers. (libvirt shares one
/// test:///default state among a process's connections; test:///path.xml is private.)
/// </summary>
public sealed class KvmSessionState
{
    private readonly object _sync = new();
    // Keyed by the URI asked for and the one libvirt reports (objects remember either).
    private readonly Dictionary<string, LibvirtConnection> _byUri = new(StringComparer.Ordinal);
    private readonly LostHosts _lost = new();
    private readonly Dictionary<string, object> _opening = new(StringComparer.Ordinal);

    /// <summary>The URI set by Connect-KvmHost, or null.</summary>
    public string? DefaultUri { get; private set; }

    /// <summary>The state of the runspace the calling thread runs in.</summary>
    public static KvmSessionState Current =>
        SessionRegistry.For(Runspace.DefaultRunspace
            ?? throw new InvalidOperationException("KvmPS cmdlets must run in a PowerShell runspace."));

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
    /// daemon went away is closed and opened again; when that fails the error says so. Opening
    /// happens outside the session's lock (one opener per URI), so a slow or unreachable host
    /// does not hold back the connections to other hosts (fan-out, parallel threads).
    /// </summary>
    public LibvirtConnection GetConnection(string uri, Action<string>? verbose = null, CancellationToken cancel = default) =>
        Acquire(uri, verbose, cancel, credential: null, replace: false);

    /// <summary>
    /// Opens a connection with a credential (Connect-KvmHost -Credential) and caches it under its
    /// URI, replacing an open one: later commands naming that URI (or its KvmConnection) reuse it.
    /// The credential is used for this open only and not kept. <paramref name="connectTimeout"/> replaces KVMPS_CONNECT_TIMEOUT for this open.
    /// </summary>
    public LibvirtConnection Connect(string uri, ConnectCredential? credential, Action<string>? verbose, CancellationToken cancel, TimeSpan? connectTimeout = null) =>
        Acquire(uri, verbose, cancel, credential, replace: credential is not null, connectTimeout);

    private LibvirtConnection Acquire(string uri, Action<string>? verbose, CancellationToken cancel, ConnectCredential? credential, bool replace, TimeSpan? connectTimeout = null)
    {
        object gate;
        lock (_sync)
        {
            if (!replace && TakeCachedLocked(uri, verbose) is LibvirtConnection alive)
            {
                return alive;
            }
            if (!_opening.TryGetValue(uri, out gate!))
            {
                gate = new object();
                _opening[uri] = gate;
            }
        }
        lock (gate)
        {
            bool wasLost;
            lock (_sync)
            {
                // Another thread may have opened it while this one waited for the gate.
                if (!replace && TakeCachedLocked(uri, verbose) is LibvirtConnection opened)
                {
                    return opened;
                }
                wasLost = _lost.Contains(uri);
            }
            LibvirtConnection conn = ConnectionOpening.Open(uri, Display(uri), wasLost, credential, verbose, cancel, connectTimeout);
            lock (_sync)
            {
                if (replace && _byUri.TryGetValue(uri, out LibvirtConnection? old))
                {
                    Forget(old);
                    old.Dispose();
                }
                _lost.Remove(uri);
                _byUri[uri] = conn;
                _byUri.TryAdd(conn.Uri, conn);
            }
            return conn;
        }
    }

    private LibvirtConnection? TakeCachedLocked(string uri, Action<string>? verbose)
    {
        if (!_byUri.TryGetValue(uri, out LibvirtConnection? cached))
        {
            return null;
        }
        if (cached.IsAlive)
        {
            return cached;
        }
        verbose?.Invoke($"The connection to '{Display(uri)}' is no longer alive; reopening it.");
        Forget(cached);
        cached.Dispose();
        _lost.Add(new[] { uri });
        return null;
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

using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using KvmPS.Engine.Native;

namespace KvmPS.Engine.Events;

/// <summary>
/// A host's domain events for this process: a connection of its own with every event id
/// registered, a bounded buffer of what arrived, and the registrations events go to. When the
/// connection dies (daemon restarted, keepalive timeout) the hub says so with a Connection event,
/// opens a new connection as soon as the daemon answers, registers everything again and says that
/// too; registrations made through it stay as they are. Hubs belong to an owner (a PowerShell
/// session): closing the owner's connection to a host closes its hub of that host too.
/// </summary>
public sealed class EventHub : IDisposable
{
    private static readonly ConcurrentDictionary<(object Owner, string Uri), EventHub> s_hubs = new();
    private static readonly object s_create = new();

    private readonly object _sync = new();
    private readonly List<EventSubscription> _subscriptions = new();
    private readonly ConcurrentQueue<string> _notices = new();
    private readonly ConnectionTimeouts _timeouts;
    private LibvirtConnection? _conn;
    private readonly List<int> _callbackIds = new();
    private long _sequence;
    private int _reconnecting;
    private volatile bool _closed;

    private EventHub(string uri, ConnectionTimeouts timeouts, int capacity)
    {
        Uri = uri;
        _timeouts = timeouts;
        Buffer = new EventBuffer(capacity);
    }

    /// <summary>Events kept for Get-KvmEvent (KVMPS_EVENT_BUFFER sets the number; 1000 by default).</summary>
    public const int DefaultCapacity = 1000;

    /// <summary>The URI as given.</summary>
    public string Uri { get; }

    /// <summary>The URI libvirt reports for the current connection.</summary>
    public string ConnectedUri { get; private set; } = "";

    public EventBuffer Buffer { get; }

    /// <summary>Whether the hub's connection is up.</summary>
    public bool IsConnected => _conn is { IsAlive: true };

    /// <summary>How often the connection was re-established.</summary>
    public int Reconnects { get; private set; }

    /// <summary>Seconds between attempts to reach a daemon that went away.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The owner's hub of a host, if it started one.</summary>
    public static EventHub? Find(object owner, string uri) => s_hubs.TryGetValue((owner, uri), out EventHub? hub) ? hub : null;

    /// <summary>The owner's hubs.</summary>
    public static IReadOnlyList<EventHub> Of(object owner) => s_hubs.Where(kv => ReferenceEquals(kv.Key.Owner, owner)).Select(kv => kv.Value).ToList();

    /// <summary>Closes the owner's hubs of these URIs (its connection to the host was closed).</summary>
    public static void Close(object owner, params string[] uris)
    {
        foreach (string uri in uris.Distinct())
        {
            if (s_hubs.TryRemove((owner, uri), out EventHub? hub))
            {
                hub.Dispose();
            }
        }
    }

    /// <summary>Closes every hub of the owner (its session ended).</summary>
    public static void CloseAll(object owner) => Close(owner, Of(owner).Select(h => h.Uri).ToArray());

    /// <summary>The owner's hub of a host, connected and registered on first use (throws LibvirtException when the host cannot be reached).</summary>
    public static EventHub Get(object owner, string uri, ConnectionTimeouts timeouts)
    {
        if (s_hubs.TryGetValue((owner, uri), out EventHub? existing))
        {
            return existing;
        }
        lock (s_create)
        {
            if (s_hubs.TryGetValue((owner, uri), out existing))
            {
                return existing;
            }
            int capacity = int.TryParse(Environment.GetEnvironmentVariable("KVMPS_EVENT_BUFFER"), out int c) && c > 0 ? c : DefaultCapacity;
            var hub = new EventHub(uri, timeouts, capacity);
            hub.Connect();
            s_hubs[(owner, uri)] = hub;
            return hub;
        }
    }

    public void Add(EventSubscription s)
    {
        lock (_sync)
        {
            _subscriptions.Add(s);
        }
    }

    public bool Remove(EventSubscription s)
    {
        lock (_sync)
        {
            return _subscriptions.Remove(s);
        }
    }

    public IReadOnlyList<EventSubscription> Subscriptions
    {
        get
        {
            lock (_sync)
            {
                return _subscriptions.ToList();
            }
        }
    }

    /// <summary>Notices (connection lost, re-established) not yet shown as warnings.</summary>
    public List<string> DrainNotices()
    {
        var list = new List<string>();
        while (_notices.TryDequeue(out string? n))
        {
            list.Add(n);
        }
        return list;
    }

    /// <summary>Opens the connection and registers every event id and the close callback.</summary>
    private void Connect()
    {
        LibvirtConnection conn = LibvirtConnection.Open(Uri, _timeouts, CancellationToken.None);
        try
        {
            var ids = new List<int>();
            foreach (var (id, _, fn) in EventCallbacks.All)
            {
                IntPtr opaque = GCHandle.ToIntPtr(GCHandle.Alloc(this));
                int cb = Libvirt.virConnectDomainEventRegisterAny(conn.Handle, IntPtr.Zero, id, fn, opaque, EventCallbacks.FreeFunction);
                if (cb < 0)
                {
                    GCHandle.FromIntPtr(opaque).Free();
                    var e = LibvirtException.FromLastError("virConnectDomainEventRegisterAny");
                    // An event id an older daemon does not know is left out; lifecycle events are a must.
                    if (id == Libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE)
                    {
                        throw e;
                    }
                    continue;
                }
                ids.Add(cb);
            }
            IntPtr closeOpaque = GCHandle.ToIntPtr(GCHandle.Alloc(this));
            if (Libvirt.virConnectRegisterCloseCallback(conn.Handle, EventCallbacks.CloseFunction, closeOpaque, EventCallbacks.FreeFunction) < 0)
            {
                // In-process drivers (test:///) never close by themselves and may not support this.
                GCHandle.FromIntPtr(closeOpaque).Free();
                Libvirt.virResetLastError();
            }
            lock (_sync)
            {
                _conn = conn;
                _callbackIds.Clear();
                _callbackIds.AddRange(ids);
                ConnectedUri = conn.Uri;
            }
        }
        catch
        {
            conn.Dispose();
            throw;
        }
    }

    /// <summary>Called by libvirt's thread for each event: numbers it, keeps it, hands it to the registrations that want it.</summary>
    internal void Publish(KvmEventType type, string vm, Guid uuid, string ev, string detail, Dictionary<string, object>? data, string? message = null)
    {
        var e = new KvmEvent
        {
            SequenceNumber = Interlocked.Increment(ref _sequence),
            TimeCreated = DateTime.UtcNow,
            EventType = type,
            Event = ev,
            Detail = detail,
            VMName = vm,
            Uuid = uuid,
            Uri = ConnectedUri.Length > 0 ? ConnectedUri : Uri,
            Data = data ?? new Dictionary<string, object>(),
            Message = message ?? EventMapping.Message(type, vm, ev, detail),
        };
        Buffer.Add(e);
        foreach (EventSubscription s in Subscriptions)
        {
            s.Offer(e);
        }
    }

    /// <summary>libvirt closed the connection: say so, then reconnect on a thread of our own (never on libvirt's).</summary>
    internal void OnClosed(string reason)
    {
        if (_closed || Interlocked.Exchange(ref _reconnecting, 1) == 1)
        {
            return;
        }
        string text = $"The event connection to '{Uri}' was lost ({reason}); KvmPS reconnects as soon as the daemon answers and registers the events again. Events in between are missed.";
        _notices.Enqueue(text);
        Publish(KvmEventType.Connection, "", Guid.Empty, "Disconnected", reason, null, text);
        new Thread(Reconnect) { IsBackground = true, Name = "KvmPS event reconnect" }.Start();
    }

    private void Reconnect()
    {
        var lostAt = System.Diagnostics.Stopwatch.StartNew();
        LibvirtConnection? old;
        lock (_sync)
        {
            old = _conn;
            _conn = null;
        }
        old?.Dispose();
        while (true)
        {
            Thread.Sleep(RetryInterval);
            if (_closed)
            {
                return;
            }
            try
            {
                Connect();
                break;
            }
            catch (Exception)
            {
                // Not back yet: try again.
            }
        }
        if (_closed)
        {
            Dispose();
            return;
        }
        Reconnects++;
        int count;
        lock (_sync)
        {
            count = _subscriptions.Count;
        }
        string text = $"The event connection to '{Uri}' is back after {lostAt.Elapsed.TotalSeconds:0.#} s; the {EventCallbacks.All.Length} event callbacks were registered again and {count} registration(s) go on receiving events.";
        _notices.Enqueue(text);
        Interlocked.Exchange(ref _reconnecting, 0);
        Publish(KvmEventType.Connection, "", Guid.Empty, "Reconnected", $"{count} registration(s) renewed", null, text);
    }

    /// <summary>Stops listening: the callbacks are deregistered and the hub's connection closed.</summary>
    public void Dispose()
    {
        _closed = true;
        LibvirtConnection? conn;
        int[] ids;
        lock (_sync)
        {
            conn = _conn;
            _conn = null;
            ids = _callbackIds.ToArray();
            _callbackIds.Clear();
        }
        if (conn is null)
        {
            return;
        }
        if (conn.IsAlive)
        {
            Libvirt.virConnectUnregisterCloseCallback(conn.Handle, EventCallbacks.CloseFunction);
            foreach (int id in ids)
            {
                Libvirt.virConnectDomainEventDeregisterAny(conn.Handle, id);
            }
            Libvirt.virResetLastError();
        }
        conn.Dispose();
    }
}

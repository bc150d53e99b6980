using KvmPS.Engine;
using KvmPS.Engine.Events;

namespace KvmPS.Commands;

/// <summary>Base of the event cmdlets: the host's event hub, and its notices (connection lost, re-established) as warnings.</summary>
public abstract class KvmEventCmdlet : KvmCmdlet
{
    /// <summary>The hub of this cmdlet's host, started (connected, every event id registered) when none runs yet.</summary>
    protected EventHub StartHub()
    {
        // The session's connection first: it resolves the URI and reports an unreachable host as every cmdlet does.
        LibvirtConnection conn = GetConnection();
        EventHub hub = EventHub.Get(Session, EffectiveUri, ConnectionTimeouts.FromEnvironment());
        if (hub.Subscriptions.Count == 0 && hub.Buffer.Snapshot().Count == 0)
        {
            WriteVerbose($"Listening for events of '{conn.Uri}' on a connection of its own (event callbacks: {hub.Subscriptions.Count} registration(s)).");
        }
        WriteNotices(hub);
        return hub;
    }

    /// <summary>Writes what happened to the hub's connection since the last command looked.</summary>
    protected void WriteNotices(EventHub hub)
    {
        foreach (string n in hub.DrainNotices())
        {
            WriteWarning(n);
        }
    }
}

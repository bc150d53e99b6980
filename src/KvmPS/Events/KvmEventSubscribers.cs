using System.Management.Automation;
using System.Runtime.CompilerServices;
using KvmPS.Engine.Events;

namespace KvmPS.Commands;

/// <summary>
/// Hands a registration's events to PowerShell's eventing in the order libvirt delivered them.
/// A .NET event subscription (Register-ObjectEvent's way) queues each raised event through the
/// thread pool, so two events a few microseconds apart (a start and a pause) could reach
/// Get-Event in either order. Here the registration has no source object and each event is
/// generated on libvirt's event-loop thread itself: the queue of received events and the queue of
/// -Action runs are filled in arrival order (the actions still run on the pipeline's thread).
/// Also remembers which subscribers are KvmPS registrations.
/// </summary>
internal static class KvmEventSubscribers
{
    private static readonly ConditionalWeakTable<PSEventSubscriber, EventSubscription> s_registrations = new();

    public static PSEventSubscriber Subscribe(PSEventManager events, EventSubscription subscription, string id, PSObject? messageData, ScriptBlock? action)
    {
        PSEventSubscriber subscriber = events.SubscribeEvent(null, null, id, messageData, action, false, false);
        EventHandler<KvmEvent> forward = (_, e) => events.GenerateEvent(id, subscription, new object[] { subscription, e }, messageData, true, false);
        subscription.EventArrived += forward;
        subscriber.Unsubscribed += (_, _) => subscription.EventArrived -= forward;
        s_registrations.AddOrUpdate(subscriber, subscription);
        return subscriber;
    }

    /// <summary>The KvmPS registration behind a subscriber, or null for any other subscriber.</summary>
    public static EventSubscription? Of(PSEventSubscriber subscriber) =>
        s_registrations.TryGetValue(subscriber, out EventSubscription? s) ? s : null;
}

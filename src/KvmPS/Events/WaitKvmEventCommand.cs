using System.Collections.Concurrent;
using System.Management.Automation;
using KvmPS.Engine.Events;

namespace KvmPS.Commands;

/// <summary>
/// Waits for a VM event that matches (kinds, VMs, event names) and returns it; -Since counts events
/// already received from that time on, so nothing is missed between an action and the wait.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "KvmEvent")]
[OutputType(typeof(KvmEvent))]
public sealed class WaitKvmEventCommand : KvmEventCmdlet
{
    /// <summary>Kinds of events to wait for; every kind when omitted.</summary>
    [Parameter(Position = 0)]
    public KvmEventType[]? EventType { get; set; }

    /// <summary>Only events of these VMs (wildcards allowed).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(VMNameCompleter))]
    public string[]? VMName { get; set; }

    /// <summary>Only these events or details (Started, Stopped, Booted, Destroyed, Connected...).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string[]? Event { get; set; }

    /// <summary>Also counts events received at or after this time (from the buffer) instead of only new ones.</summary>
    [Parameter]
    public DateTime Since { get; set; }

    /// <summary>Seconds to wait before reporting a timeout (default 60).</summary>
    [Parameter]
    [ValidateRange(0, 86400)]
    public int TimeoutSec { get; set; } = 60;

    protected override void ProcessRecordCore()
    {
        EventHub hub = StartHub();
        bool since = MyInvocation.BoundParameters.ContainsKey(nameof(Since));
        var query = new EventQuery(EventType, VMName, Event, since ? Since.ToUniversalTime() : null);
        var arrived = new BlockingCollection<KvmEvent>();
        var subscription = new EventSubscription($"KvmPS.Wait.{Guid.NewGuid()}", hub.ConnectedUri, query.Types, null);
        subscription.EventArrived += (_, e) =>
        {
            if (e.EventType == KvmEventType.Connection || query.Matches(e))
            {
                arrived.Add(e);
            }
        };
        hub.Add(subscription);
        try
        {
            // Registered first, then the buffer read: an event cannot fall between the two (it may come twice, the first wins).
            KvmEvent? found = !since ? null : hub.Buffer.Snapshot().FirstOrDefault(query.Matches);
            var deadline = DateTime.UtcNow.AddSeconds(TimeoutSec);
            while (found is null)
            {
                TimeSpan left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !arrived.TryTake(out KvmEvent? e, left > TimeSpan.FromMilliseconds(500) ? TimeSpan.FromMilliseconds(500) : left))
                {
                    if (CancelToken.IsCancellationRequested)
                    {
                        throw new PipelineStoppedException();
                    }
                    if (DateTime.UtcNow >= deadline)
                    {
                        break;
                    }
                    continue;
                }
                if (e.EventType == KvmEventType.Connection && !query.Matches(e))
                {
                    WriteNotices(hub);
                    continue;
                }
                found = e;
            }
            WriteNotices(hub);
            if (found is null)
            {
                WriteError(ErrorHelper.Create(new TimeoutException($"No matching event arrived from '{hub.ConnectedUri}' within {TimeoutSec} s."),
                    "WaitTimeout", ErrorCategory.OperationTimeout, VMName?.FirstOrDefault() ?? (object)hub.ConnectedUri));
                return;
            }
            WriteObject(found);
        }
        finally
        {
            hub.Remove(subscription);
        }
    }
}

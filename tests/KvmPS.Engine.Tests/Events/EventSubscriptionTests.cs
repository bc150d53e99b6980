using KvmPS.Engine.Events;
using Xunit;

namespace KvmPS.Engine.Tests.Events;

public class EventSubscriptionTests
{
    private static KvmEvent E(KvmEventType t, string vm, string ev = "Started", string detail = "Booted", DateTime? at = null) =>
        new() { EventType = t, VMName = vm, Event = ev, Detail = detail, TimeCreated = at ?? DateTime.UtcNow };

    [Fact]
    public void Passes_the_kinds_and_vms_asked_for_and_connection_notices()
    {
        var s = new EventSubscription("id", "test:///default", new[] { KvmEventType.Lifecycle }, new[] { "web*" });
        var got = new List<KvmEvent>();
        s.EventArrived += (_, e) => got.Add(e);
        s.Offer(E(KvmEventType.Lifecycle, "web1"));
        s.Offer(E(KvmEventType.Lifecycle, "db1"));
        s.Offer(E(KvmEventType.Reboot, "web1"));
        s.Offer(E(KvmEventType.Connection, "", "Reconnected", ""));
        Assert.Equal(new[] { "web1", "" }, got.Select(e => e.VMName));
        Assert.Equal(2, s.Received);
        Assert.Equal(new[] { KvmEventType.Lifecycle }, s.Describe().EventType);
    }

    [Fact]
    public void A_failing_handler_does_not_reach_the_caller()
    {
        var s = new EventSubscription("id", "u", new[] { KvmEventType.Lifecycle }, null);
        s.EventArrived += (_, _) => throw new InvalidOperationException("handler bug");
        s.Offer(E(KvmEventType.Lifecycle, "x"));
        Assert.Equal(1, s.Received);
    }

    [Fact]
    public void Query_matches_kind_vm_event_name_and_time()
    {
        var t0 = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var q = new EventQuery(new[] { KvmEventType.Lifecycle }, new[] { "web1" }, new[] { "stopped" }, t0);
        Assert.True(q.Matches(E(KvmEventType.Lifecycle, "web1", "Stopped", "Destroyed", t0)));
        Assert.True(q.Matches(E(KvmEventType.Lifecycle, "web1", "X", "Stopped", t0.AddSeconds(1))));   // a detail counts too
        Assert.False(q.Matches(E(KvmEventType.Lifecycle, "web1", "Stopped", "", t0.AddSeconds(-1))));
        Assert.False(q.Matches(E(KvmEventType.Lifecycle, "web2", "Stopped", "", t0)));
        Assert.False(q.Matches(E(KvmEventType.Reboot, "web1", "Stopped", "", t0)));
        Assert.Equal(Enum.GetValues<KvmEventType>().Length, new EventQuery(null, null, null, null).Types.Count);
    }

    [Fact]
    public void Buffer_keeps_the_newest_and_counts_what_it_dropped()
    {
        var b = new EventBuffer(3);
        for (int i = 1; i <= 5; i++)
        {
            b.Add(new KvmEvent { SequenceNumber = i });
        }
        Assert.Equal(new long[] { 3, 4, 5 }, b.Snapshot().Select(e => e.SequenceNumber));
        Assert.Equal(2, b.Dropped);
    }
}

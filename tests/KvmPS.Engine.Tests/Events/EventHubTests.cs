using KvmPS.Engine.Domains;
using KvmPS.Engine.Events;
using KvmPS.Engine.Native;
using Xunit;

namespace KvmPS.Engine.Tests.Events;

/// <summary>The hub on libvirt's test driver: lifecycle events from real calls reach a registration, in order.</summary>
public class EventHubTests
{
    [Fact]
    public void Lifecycle_events_of_the_test_driver_arrive_in_order()
    {
        // test:///default is one host for the whole process: the actions go through a connection of
        // their own and the hub hears them on its own. A name of this test's keeps other tests' VMs out.
        string name = $"hub-{Guid.NewGuid():N}"[..20];
        var owner = new object();
        EventHub hub = EventHub.Get(owner, "test:///default", ConnectionTimeouts.FromEnvironment());
        var got = new List<KvmEvent>();
        var done = new ManualResetEventSlim();
        var s = new EventSubscription("t", "test:///default", new[] { KvmEventType.Lifecycle }, new[] { name });
        s.EventArrived += (_, e) =>
        {
            lock (got)
            {
                got.Add(e);
                if (got.Count == 6)
                {
                    done.Set();
                }
            }
        };
        hub.Add(s);
        try
        {
            using var conn = LibvirtConnection.Open("test:///default");
            using (DomainHandle h = DomainService.Define(conn, $"<domain type='test'><name>{name}</name><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>"))
            {
                Assert.Equal(0, Libvirt.virDomainCreate(h));
                Assert.Equal(0, Libvirt.virDomainSuspend(h));
                Assert.Equal(0, Libvirt.virDomainResume(h));
                Assert.Equal(0, Libvirt.virDomainDestroy(h));
                DomainService.Undefine(h, removeNvram: false);
            }
            Assert.True(done.Wait(TimeSpan.FromSeconds(10)), $"6 events expected, got: {string.Join(", ", got.Select(e => e.Event))}");
            Assert.Equal(new[] { "Defined", "Started", "Suspended", "Resumed", "Stopped", "Undefined" }, got.Select(e => e.Event));
            Assert.Equal(new[] { "Added", "Booted", "Paused", "Unpaused", "Destroyed", "Removed" }, got.Select(e => e.Detail));
            Assert.All(got, e => Assert.Equal(name, e.VMName));
            Assert.All(got, e => Assert.NotEqual(Guid.Empty, e.Uuid));
            // Sequence numbers go up; the buffer has the same events.
            Assert.Equal(got.Select(e => e.SequenceNumber).OrderBy(n => n), got.Select(e => e.SequenceNumber));
            Assert.Equal(6, hub.Buffer.Snapshot().Count(e => e.VMName == name));
        }
        finally
        {
            hub.Remove(s);
            EventHub.CloseAll(owner);
        }
        Assert.False(hub.IsConnected);
        Assert.Null(EventHub.Find(owner, "test:///default"));
    }
}

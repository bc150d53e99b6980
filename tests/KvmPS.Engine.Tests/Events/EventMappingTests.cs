using KvmPS.Engine.Events;
using Xunit;

namespace KvmPS.Engine.Tests.Events;

public class EventMappingTests
{
    [Theory]
    [InlineData(0, 0, "Defined", "Added")]
    [InlineData(1, 0, "Undefined", "Removed")]
    [InlineData(2, 0, "Started", "Booted")]
    [InlineData(2, 1, "Started", "Migrated")]
    [InlineData(3, 0, "Suspended", "Paused")]
    [InlineData(3, 2, "Suspended", "IOError")]
    [InlineData(4, 0, "Resumed", "Unpaused")]
    [InlineData(5, 0, "Stopped", "Shutdown")]
    [InlineData(5, 1, "Stopped", "Destroyed")]
    [InlineData(5, 2, "Stopped", "Crashed")]
    [InlineData(6, 1, "Shutdown", "Guest")]
    [InlineData(7, 0, "PMSuspended", "Memory")]
    [InlineData(8, 0, "Crashed", "Panicked")]
    public void Maps_lifecycle_numbers_to_names(int ev, int detail, string name, string detailName) =>
        Assert.Equal((name, detailName), EventMapping.Lifecycle(ev, detail));

    [Fact]
    public void Keeps_unknown_numbers_visible()
    {
        Assert.Equal(("Unknown(42)", "Unknown(7)"), EventMapping.Lifecycle(42, 7));
        Assert.Equal(("Started", "Unknown(99)"), EventMapping.Lifecycle(2, 99));
        Assert.Equal("Unknown(-1)", EventMapping.BlockJobType(-1));
    }

    [Fact]
    public void Maps_agent_block_job_and_close_reasons()
    {
        Assert.Equal(("Connected", "DomainStarted"), EventMapping.Agent(1, 1));
        Assert.Equal(("Disconnected", "Channel"), EventMapping.Agent(2, 2));
        Assert.Equal("ActiveCommit", EventMapping.BlockJobType(4));
        Assert.Equal("Ready", EventMapping.BlockJobStatus(3));
        Assert.Equal("EndOfFile", EventMapping.CloseReason(1));
        Assert.Equal("KeepAlive", EventMapping.CloseReason(2));
        Assert.Equal("Reset", EventMapping.WatchdogAction(2));
    }

    [Fact]
    public void Message_names_the_vm_and_what_happened()
    {
        Assert.Equal("VM 'web1': Started (Booted).", EventMapping.Message(KvmEventType.Lifecycle, "web1", "Started", "Booted"));
        Assert.Equal("VM 'web1': Agent Connected (Channel).", EventMapping.Message(KvmEventType.Agent, "web1", "Connected", "Channel"));
        Assert.Equal("VM 'db': Rebooted.", EventMapping.Message(KvmEventType.Reboot, "db", "Rebooted", ""));
    }

    [Fact]
    public void Every_event_id_is_registered_once_with_a_function()
    {
        var ids = EventCallbacks.All.Select(a => a.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(EventCallbacks.All, a => Assert.NotEqual(IntPtr.Zero, a.Function));
        Assert.Contains(0, ids);                       // lifecycle
        Assert.Contains(18, ids);                      // agent lifecycle
        // Every kind but KvmPS's own connection notice has an id.
        var kinds = EventCallbacks.All.Select(a => a.Type).ToHashSet();
        Assert.All(Enum.GetValues<KvmEventType>().Where(t => t != KvmEventType.Connection), t => Assert.Contains(t, kinds));
    }
}

using KvmPS.Engine.Guest;
using Xunit;

namespace KvmPS.Engine.Tests.Guest;

public class GuestAgentErrorsTests
{
    private static GuestAgentException Classify(LibvirtErrorCode code, string message) =>
        GuestAgentErrors.Classify(new LibvirtException("virDomainQemuAgentCommand", code, 10, message), "web1", "guest-exec");

    [Theory]
    [InlineData(LibvirtErrorCode.ArgumentUnsupported, "argument unsupported: QEMU guest agent is not configured", GuestAgentFailure.Absent, "GuestAgentNotConfigured")]
    [InlineData(LibvirtErrorCode.AgentUnresponsive, "Guest agent is not responding: QEMU guest agent is not connected", GuestAgentFailure.NotRunning, "GuestAgentNotRunning")]
    [InlineData(LibvirtErrorCode.AgentUnresponsive, "Guest agent is not responding: Guest agent not available for now", GuestAgentFailure.NotRunning, "GuestAgentNotRunning")]
    [InlineData(LibvirtErrorCode.InternalError, "internal error: unable to execute QEMU agent command 'guest-exec': The command guest-exec has been disabled for this instance", GuestAgentFailure.CommandDisabled, "GuestAgentCommandDisabled")]
    [InlineData(LibvirtErrorCode.OperationInvalid, "Requested operation is not valid: domain is not running", GuestAgentFailure.VMNotRunning, "VMNotRunning")]
    [InlineData((LibvirtErrorCode)112, "Timed out during operation: cannot acquire state change lock", GuestAgentFailure.Timeout, "GuestAgentTimeout")]
    [InlineData(LibvirtErrorCode.InternalError, "internal error: unable to execute QEMU agent command 'guest-exec': The command guest-exec has not been found", GuestAgentFailure.CommandUnknown, "GuestAgentCommandUnknown")]
    [InlineData(LibvirtErrorCode.InternalError, "internal error: unable to execute QEMU agent command 'guest-file-open': failed to open file '/x': No such file or directory", GuestAgentFailure.CommandFailed, "GuestAgentCommandFailed")]
    public void Classifies_what_libvirt_says(LibvirtErrorCode code, string message, GuestAgentFailure failure, string errorId)
    {
        GuestAgentException e = Classify(code, message);
        Assert.Equal(failure, e.Failure);
        Assert.Equal(errorId, e.ErrorId);
        Assert.Contains("web1", e.Message);
    }

    [Fact]
    public void A_blocked_command_says_how_to_allow_it()
    {
        GuestAgentException e = Classify(LibvirtErrorCode.InternalError, "The command guest-exec has been disabled for this instance");
        Assert.Contains("--allow-rpcs", e.Message);
        Assert.Contains("-b", e.Message);
        Assert.Contains("/etc/sysconfig/qemu-ga", e.Message);
        Assert.Contains("RHEL", e.Message);
    }

    [Fact]
    public void Absent_and_not_running_say_what_to_do()
    {
        Assert.Contains("org.qemu.guest_agent.0", Classify(LibvirtErrorCode.ArgumentUnsupported, "QEMU guest agent is not configured").Message);
        Assert.Contains("qemu-guest-agent", Classify(LibvirtErrorCode.AgentUnresponsive, "not connected").Message);
    }

    [Theory]
    [InlineData("<domain><devices><channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0' state='connected'/></channel></devices></domain>", true, true)]
    [InlineData("<domain><devices><channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0' state='disconnected'/></channel></devices></domain>", true, false)]
    [InlineData("<domain><devices><channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel></devices></domain>", true, null)]
    [InlineData("<domain><devices><channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel></devices></domain>", false, null)]
    [InlineData("<domain><devices/></domain>", false, null)]
    public void Reads_the_agent_channel_and_its_state(string xml, bool configured, bool? connected)
    {
        Assert.Equal((configured, connected), GuestChannel.Read(xml));
    }

    [Fact]
    public void The_test_drivers_vm_has_no_agent_channel()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        using var h = conn.LookupDomain("test");
        var e = Assert.Throws<GuestAgentException>(() => GuestAgent.Connect(h, "test"));
        Assert.Equal(GuestAgentFailure.Absent, e.Failure);
        KvmGuestAgentStatus s = GuestAgentProbe.Probe(h, "test", conn.Uri);
        Assert.False(s.Configured);
        Assert.False(s.IsReady);
        Assert.Contains("org.qemu.guest_agent.0", s.Problem);
    }

    [Fact]
    public void The_probe_reports_what_the_policy_blocks()
    {
        var fake = new FakeGuestAgent();
        fake.Disabled.UnionWith(new[] { "guest-exec", "guest-file-write" });
        KvmGuestAgentStatus s = GuestAgentProbe.FromAgent(fake.Agent(), true, "u");
        Assert.True(s.Responding);
        Assert.False(s.ExecAllowed);
        Assert.False(s.FileAccessAllowed);
        Assert.Equal(new[] { "guest-exec", "guest-file-write" }, s.DisabledCommands);
        Assert.Contains("--allow-rpcs", s.Problem);
    }
}

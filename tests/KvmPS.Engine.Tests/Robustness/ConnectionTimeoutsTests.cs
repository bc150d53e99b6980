using Xunit;

namespace KvmPS.Engine.Tests.Robustness;

public class ConnectionTimeoutsTests
{
    [Fact]
    public void Defaults_are_5_seconds_3_pings_and_20_seconds_to_connect()
    {
        var t = ConnectionTimeouts.FromEnvironment(_ => null);
        Assert.Equal(5, t.KeepAliveInterval);
        Assert.Equal(3u, t.KeepAliveCount);
        Assert.Equal(TimeSpan.FromSeconds(20), t.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(20), t.DeadHostLimit);
    }

    [Fact]
    public void Environment_variables_override_and_bad_values_are_ignored()
    {
        var env = new Dictionary<string, string>
        {
            [ConnectionTimeouts.IntervalVariable] = "1",
            [ConnectionTimeouts.CountVariable] = "2",
            [ConnectionTimeouts.ConnectTimeoutVariable] = "2.5",
        };
        var t = ConnectionTimeouts.FromEnvironment(k => env.GetValueOrDefault(k));
        Assert.Equal(1, t.KeepAliveInterval);
        Assert.Equal(2u, t.KeepAliveCount);
        Assert.Equal(TimeSpan.FromSeconds(2.5), t.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), t.DeadHostLimit);

        var bad = ConnectionTimeouts.FromEnvironment(k => k == ConnectionTimeouts.CountVariable ? "0" : "soon");
        Assert.Equal(new ConnectionTimeouts(), bad);
    }

    [Fact]
    public void Interval_zero_turns_keepalive_off()
    {
        var t = ConnectionTimeouts.FromEnvironment(k => k == ConnectionTimeouts.IntervalVariable ? "0" : null);
        Assert.Equal(0, t.KeepAliveInterval);
        Assert.Equal(Timeout.InfiniteTimeSpan, t.DeadHostLimit);
    }

    [Fact]
    public void The_test_driver_opens_without_keepalive_and_works()
    {
        using var conn = LibvirtConnection.Open("test:///default", new ConnectionTimeouts(), CancellationToken.None);
        Assert.False(conn.KeepAlive);
        Assert.Contains("not used", conn.KeepAliveNote);
        Assert.True(conn.IsAlive);
        Assert.Equal("TEST", conn.GetHypervisorType());
    }

    [Fact]
    public void A_cancelled_open_throws_OperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => LibvirtConnection.Open("test:///default", new ConnectionTimeouts(), cts.Token));
    }

    [Fact]
    public void A_failed_open_keeps_libvirts_error_from_the_worker_thread()
    {
        var e = Assert.Throws<LibvirtException>(() => LibvirtConnection.Open("bogus:///x", new ConnectionTimeouts(), CancellationToken.None));
        Assert.Equal("virConnectOpen", e.Function);
        Assert.NotEqual(LibvirtErrorCode.Ok, e.Code);
        Assert.NotEqual(LibvirtErrorCode.OperationTimeout, e.Code);
    }
}

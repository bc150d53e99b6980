using Xunit;

namespace KvmPS.Engine.Tests;

public class HostFanOutTests
{
    [Fact]
    public void Results_come_in_the_order_given_although_the_hosts_finish_in_another()
    {
        var delays = new Dictionary<string, int> { ["a"] = 300, ["b"] = 10, ["c"] = 150 };
        var results = HostFanOut.Run(new[] { "a", "b", "c" }, (uri, _) => { Thread.Sleep(delays[uri]); return new[] { uri + "1", uri + "2" }; }, CancellationToken.None).ToList();
        Assert.Equal(new[] { "a", "b", "c" }, results.Select(r => r.Uri));
        Assert.Equal(new[] { "a1", "a2", "b1", "b2", "c1", "c2" }, results.SelectMany(r => r.Items));
    }

    [Fact]
    public void The_hosts_are_asked_at_once_so_the_whole_costs_about_the_slowest()
    {
        // Each host waits until all four are being asked: asked one after another, the first
        // would wait alone until its 20 s were up. No wall-clock bound, so a loaded machine whose
        // thread pool is slow to grow cannot fail it.
        using var allAsked = new CountdownEvent(4);
        var results = HostFanOut.Run(new[] { "h1", "h2", "h3", "h4" }, (_, _) =>
        {
            allAsked.Signal();
            return new[] { allAsked.Wait(TimeSpan.FromSeconds(20)) };
        }, CancellationToken.None).ToList();
        Assert.Equal(4, results.Count);
        Assert.All(results, r => Assert.Equal(new[] { true }, r.Items));
    }

    [Fact]
    public void A_failing_host_gives_its_error_in_its_place_and_the_others_their_items()
    {
        var results = HostFanOut.Run(new[] { "good", "bad", "late" }, (uri, _) =>
        {
            if (uri == "bad")
            {
                throw new LibvirtException("virConnectOpen", LibvirtErrorCode.SystemError, 0, "unreachable");
            }
            Thread.Sleep(uri == "late" ? 200 : 0);
            return new[] { uri };
        }, CancellationToken.None).ToList();
        Assert.False(results[0].Failed);
        Assert.True(results[1].Failed);
        Assert.IsType<LibvirtException>(results[1].Error);
        Assert.Empty(results[1].Items);
        Assert.Equal(new[] { "late" }, results[2].Items);
    }

    [Fact]
    public void Repeated_and_blank_uris_are_asked_once()
    {
        int calls = 0;
        var results = HostFanOut.Run(new[] { "x", " x ", "", "y", "x" }, (uri, _) => { Interlocked.Increment(ref calls); return new[] { uri }; }, CancellationToken.None).ToList();
        Assert.Equal(new[] { "x", "y" }, results.Select(r => r.Uri));
        Assert.Equal(2, calls);
    }

    [Fact]
    public void No_more_hosts_than_the_parallelism_run_at_once()
    {
        int running = 0, peak = 0;
        var results = HostFanOut.Run(Enumerable.Range(0, 8).Select(i => $"h{i}"), (_, _) =>
        {
            int now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            Thread.Sleep(50);
            Interlocked.Decrement(ref running);
            return new[] { 0 };
        }, CancellationToken.None, parallelism: 2).ToList();
        Assert.Equal(8, results.Count);
        Assert.True(peak <= 2, $"peak {peak}");
    }

    [Fact]
    public void Cancelling_stops_the_wait()
    {
        // The host never answers on its own (it ignores the token) until the test lets it go:
        // the run must end on the cancellation while the host is still being asked.
        using var asked = new ManualResetEventSlim();
        using var letGo = new ManualResetEventSlim();
        int finished = 0;
        using var cts = new CancellationTokenSource();
        try
        {
            var run = Task.Run(() => HostFanOut.Run(new[] { "slow" }, (_, _) =>
            {
                asked.Set();
                letGo.Wait(TimeSpan.FromSeconds(60));
                Interlocked.Exchange(ref finished, 1);
                return new[] { 1 };
            }, cts.Token).ToList());
            Assert.True(asked.Wait(TimeSpan.FromSeconds(30)), "the host was never asked");
            cts.Cancel();
            var e = Assert.ThrowsAny<AggregateException>(() => run.Wait(TimeSpan.FromSeconds(30)));
            Assert.IsAssignableFrom<OperationCanceledException>(e.InnerException);
            Assert.Equal(0, Volatile.Read(ref finished));
        }
        finally
        {
            letGo.Set();
        }
    }

    [Fact]
    public void Real_test_driver_hosts_and_a_missing_one_fan_out_with_one_error()
    {
        var results = HostFanOut.Run(new[] { "test:///default", "test:///kvmps-no-such-host.xml" }, (uri, c) =>
        {
            using var conn = LibvirtConnection.Open(uri, new ConnectionTimeouts(), c);
            return conn.ListAllDomains().Select(h => { using (h) { return LibvirtConnection.GetName(h); } }).ToList();
        }, CancellationToken.None).ToList();
        Assert.Contains("test", results[0].Items);
        Assert.True(results[1].Failed);
        Assert.True(((LibvirtException)results[1].Error!).IsConnectFailure);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}

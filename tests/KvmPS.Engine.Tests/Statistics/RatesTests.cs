using KvmPS.Engine.Statistics;
using Xunit;

namespace KvmPS.Engine.Tests.Statistics;

public class RatesTests
{
    [Theory]
    [InlineData(2000UL, 1000UL, 2.0, 500.0)]
    [InlineData(1000UL, 1000UL, 1.0, 0.0)]
    public void Rate_is_growth_per_second(ulong now, ulong before, double seconds, double expected) =>
        Assert.Equal(expected, Rates.PerSecond(now, before, seconds));

    [Fact]
    public void No_rate_when_the_counter_fell_or_the_interval_is_missing()
    {
        Assert.Null(Rates.PerSecond(10, 20, 1));        // VM restarted in between
        Assert.Null(Rates.PerSecond(20, 10, 0));
        Assert.Null(Rates.PerSecond(20, 10, null));
        Assert.Null(Rates.PerSecond(20, null, 1));
        Assert.Null(Rates.PerSecond(null, 10, 1));
    }

    [Theory]
    // 2 vCPUs, 1 s, 1e9 ns used: one vCPU's worth, half of the VM.
    [InlineData(3_000_000_000UL, 2_000_000_000UL, 1.0, 2, 50.0)]
    [InlineData(4_000_000_000UL, 0UL, 2.0, 1, 200.0)]       // more than the vCPUs (emulator threads) is shown, not clipped
    [InlineData(1_250_000_000UL, 1_000_000_000UL, 0.5, 1, 50.0)]
    public void Cpu_percent_is_per_vcpu(ulong now, ulong before, double seconds, int cpus, double expected) =>
        Assert.Equal(expected, Rates.CpuPercent(now, before, seconds, cpus));

    [Fact]
    public void Cpu_percent_needs_a_vcpu_count() => Assert.Null(Rates.CpuPercent(2, 1, 1, null));

    [Fact]
    public void Busy_percent_counts_idle_as_not_busy() =>
        Assert.Equal(25.0, Rates.BusyPercent(busyNow: 150, busyBefore: 100, idleNow: 350, idleBefore: 200));

    [Fact]
    public void Sums_skip_missing_values()
    {
        Assert.Equal(5UL, Rates.Sum(new ulong?[] { 2, null, 3 }));
        Assert.Null(Rates.Sum(new ulong?[] { null }));
        Assert.Null(Rates.Sum(Array.Empty<double?>()));
    }
}

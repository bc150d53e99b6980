using System.Globalization;

namespace KvmPS.Engine;

/// <summary>
/// How long a connection waits for a host that stopped answering. libvirt's keepalive sends a
/// ping every <see cref="KeepAliveInterval"/> seconds once the connection is idle and closes it
/// when <see cref="KeepAliveCount"/> pings in a row got no answer, so a frozen or vanished daemon
/// ends every waiting call after about interval × (count + 1) seconds (5 × 3: 15–20 s). Opening a
/// connection has no keepalive yet: it gives up after <see cref="ConnectTimeout"/>. Each can be
/// set by an environment variable, read when a connection is opened.
/// </summary>
public sealed record ConnectionTimeouts
{
    public const string IntervalVariable = "KVMPS_KEEPALIVE_INTERVAL";
    public const string CountVariable = "KVMPS_KEEPALIVE_COUNT";
    public const string ConnectTimeoutVariable = "KVMPS_CONNECT_TIMEOUT";

    /// <summary>Seconds between keepalive pings; 0 or less turns keepalive off.</summary>
    public int KeepAliveInterval { get; init; } = 5;

    /// <summary>Unanswered pings after which the connection is closed.</summary>
    public uint KeepAliveCount { get; init; } = 3;

    /// <summary>How long opening a connection may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The longest a call waits on a host that stopped answering, once connected.</summary>
    public TimeSpan DeadHostLimit => KeepAliveInterval <= 0 ? Timeout.InfiniteTimeSpan
        : TimeSpan.FromSeconds(KeepAliveInterval * ((double)KeepAliveCount + 1));

    /// <summary>The defaults, overridden by the environment variables that are set and valid.</summary>
    public static ConnectionTimeouts FromEnvironment(Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        var t = new ConnectionTimeouts();
        if (Number(read(IntervalVariable)) is double interval)
        {
            t = t with { KeepAliveInterval = (int)Math.Min(interval, 3600) };
        }
        if (Number(read(CountVariable)) is double count && count >= 1)
        {
            t = t with { KeepAliveCount = (uint)Math.Min(count, 100) };
        }
        if (Number(read(ConnectTimeoutVariable)) is double seconds && seconds > 0)
        {
            t = t with { ConnectTimeout = TimeSpan.FromSeconds(Math.Min(seconds, 3600)) };
        }
        return t;
    }

    private static double? Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v >= 0 ? v : null;
}

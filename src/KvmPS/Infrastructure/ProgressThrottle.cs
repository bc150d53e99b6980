using System.Diagnostics;

namespace KvmPS.Commands;

/// <summary>
/// Says when a progress record is worth writing: progress records are cheap but not free, so a few
/// per second is plenty; the first and the last always go out.
/// </summary>
internal sealed class ProgressThrottle
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(250);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan? _last;

    /// <summary>The time since the throttle was made (for rates).</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>True (and counted as written) when the last record is old enough, or always when <paramref name="final"/>.</summary>
    public bool Due(bool final = false)
    {
        if (!final && _last is TimeSpan last && _clock.Elapsed - last < Every)
        {
            return false;
        }
        _last = _clock.Elapsed;
        return true;
    }
}

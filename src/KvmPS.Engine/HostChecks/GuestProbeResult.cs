namespace KvmPS.Engine.HostChecks;

/// <summary>
/// What came of a test guest: its serial output, QEMU's exit code (null when QEMU was killed at
/// the timeout or did not start), whether the timeout ended it, QEMU's error output (or why it
/// could not start), and the time from start to exit.
/// </summary>
public sealed record GuestProbeResult(string Serial, int? ExitCode, bool TimedOut, string Error, TimeSpan Elapsed)
{
    /// <summary>The marker arrived and QEMU exited through isa-debug-exit with the expected code.</summary>
    public bool Succeeded => !TimedOut && ExitCode == GuestProbeImage.ExpectedExitCode && GuestProbeImage.Finished(Serial);
}

namespace KvmPS.Engine.HostChecks;

/// <summary>
/// Starts the test guest of the KvmGuestRuns check (<see cref="GuestProbeImage"/>) and reports what
/// came of it. The real one runs QEMU (<see cref="QemuGuestProbeRunner"/>); tests give outcomes.
/// </summary>
public interface IGuestProbeRunner
{
    GuestProbeResult Run(GuestProbeRequest request, CancellationToken cancel);
}

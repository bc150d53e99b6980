namespace KvmPS.Engine.HostChecks;

/// <summary>Which QEMU to run the test guest with, under which accelerator (kvm, tcg), for how long at most.</summary>
public sealed record GuestProbeRequest(string QemuPath, string Accelerator, TimeSpan Timeout);

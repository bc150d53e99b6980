namespace KvmPS.Engine.HostChecks;

/// <summary>Huge pages of one size: the kernel's pool and the file that sets its size.</summary>
public sealed record HugePagePool(ulong SizeKiB, ulong Total, ulong Free, string CountFile);

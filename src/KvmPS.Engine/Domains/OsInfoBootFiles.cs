namespace KvmPS.Engine.Domains;

/// <summary>Where an install medium of an OS keeps its kernel and initrd (osinfo-db's media and trees), relative to its root.</summary>
public sealed record OsInfoBootFiles(string Arch, string Kernel, string Initrd);

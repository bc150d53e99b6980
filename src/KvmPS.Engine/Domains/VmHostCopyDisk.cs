namespace KvmPS.Engine.Domains;

/// <summary>One disk of a copy to another host: its target and source volume, the destination pool and volume name, its format and the bytes to stream.</summary>
public sealed record VmHostCopyDisk(string Target, string SourcePath, string DestinationPool, string VolumeName, string Format, ulong Length);

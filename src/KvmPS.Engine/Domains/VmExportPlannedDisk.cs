namespace KvmPS.Engine.Domains;

/// <summary>A disk an export copies: its target, the volume holding it, its format and sizes, and the file it becomes.</summary>
public sealed record VmExportPlannedDisk(string Target, string SourcePath, string Pool, string Format, ulong VirtualSizeBytes, ulong Length, string File);

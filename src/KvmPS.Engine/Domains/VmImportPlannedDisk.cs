namespace KvmPS.Engine.Domains;

/// <summary>A disk of an import: its manifest entry, the file in the export, and the volume it is copied to (null in place).</summary>
public sealed record VmImportPlannedDisk(VmExportFile Entry, string FilePath, string? VolumeName);

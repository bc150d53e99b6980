namespace KvmPS.Engine.Iso;

/// <summary>
/// A file or directory of an ISO 9660 image: where its data starts (a logical block) and how long
/// it is. <see cref="Name"/> is the Rock Ridge or Joliet name when the image has one, else the
/// ISO 9660 name without its ";1" version.
/// </summary>
public sealed record IsoEntry(string Name, long Extent, long Size, bool IsDirectory);

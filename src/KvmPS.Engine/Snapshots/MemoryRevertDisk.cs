namespace KvmPS.Engine.Snapshots;

/// <summary>
/// One disk of an external memory revert: the image the snapshot froze (<see cref="Frozen"/>, its
/// source element as text, and its format), the overlay in use until now (deleted once the revert succeeded) and
/// the new empty overlay on the frozen image that the restored guest writes to.
/// </summary>
public sealed record MemoryRevertDisk(string Target, string Frozen, string? FrozenFormat, string OldOverlay, string NewOverlay);

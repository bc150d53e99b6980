namespace KvmPS.Engine.Storage;

/// <summary>A request for a new volume (New-KvmVolume).</summary>
public sealed record VolumeRequest
{
    public string Name { get; init; } = "";

    /// <summary>Virtual size; may be left out for an overlay (it then takes the backing image's size).</summary>
    public ulong? SizeBytes { get; init; }

    public KvmVolumeFormat? Format { get; init; }

    public string? BackingPath { get; init; }

    public string? BackingFormat { get; init; }
}

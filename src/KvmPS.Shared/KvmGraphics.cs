namespace KvmPS;

/// <summary>A graphics console of a VM.</summary>
public sealed class KvmGraphics
{
    /// <summary>vnc or spice.</summary>
    public string Type { get; internal init; } = "";
    /// <summary>Listen address.</summary>
    public string? Listen { get; internal init; }
    /// <summary>Port (-1 = automatic).</summary>
    public int? Port { get; internal init; }
}

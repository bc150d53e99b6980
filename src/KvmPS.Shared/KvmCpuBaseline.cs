namespace KvmPS;

/// <summary>The CPU model all of several hosts can run (Get-KvmHostCpuBaseline).</summary>
public sealed class KvmCpuBaseline
{
    /// <summary>The CPU model name, e.g. Haswell-noTSX.</summary>
    public string Model { get; internal init; } = "";

    public string? Vendor { get; internal init; }

    /// <summary>Features required on top of the model.</summary>
    public string[] Features { get; internal init; } = Array.Empty<string>();

    /// <summary>The guest CPU element libvirt made (for Compare-KvmHostCpu or a definition).</summary>
    public string Xml { get; internal init; } = "";

    /// <summary>The hosts it was made for.</summary>
    public string[] Uris { get; internal init; } = Array.Empty<string>();
}

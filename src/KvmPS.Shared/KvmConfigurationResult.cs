namespace KvmPS;

/// <summary>The report of Invoke-KvmConfiguration for one resource: what was planned and what happened.</summary>
public sealed class KvmConfigurationResult
{
    /// <summary>The kind of resource.</summary>
    public KvmResourceKind Kind { get; internal init; }

    /// <summary>Its name (for a volume, pool/name).</summary>
    public string Name { get; internal init; } = "";

    /// <summary>The host.</summary>
    public string Uri { get; internal init; } = "";

    /// <summary>The planned action.</summary>
    public KvmConfigurationAction Action { get; internal init; }

    /// <summary>What happened.</summary>
    public KvmConfigurationStatus Status { get; internal init; }

    /// <summary>The settings that were (to be) changed.</summary>
    public KvmPropertyChange[] Changes { get; internal init; } = Array.Empty<KvmPropertyChange>();

    /// <summary>The commands that ran, in order.</summary>
    public string[] Commands { get; internal init; } = Array.Empty<string>();

    /// <summary>Why it failed or was skipped; empty when all went well.</summary>
    public string Message { get; internal init; } = "";

    public override string ToString() => $"{Action} {Kind} {Name}: {Status}";
}

namespace KvmPS;

/// <summary>What Invoke-KvmConfiguration would do to one resource (Get-KvmConfigurationPlan).</summary>
public sealed class KvmConfigurationPlanItem
{
    /// <summary>The kind of resource.</summary>
    public KvmResourceKind Kind { get; internal init; }

    /// <summary>Its name (for a volume, pool/name).</summary>
    public string Name { get; internal init; } = "";

    /// <summary>The host it lives on.</summary>
    public string Uri { get; internal init; } = "";

    /// <summary>Create, Update, Replace, Remove or NoChange.</summary>
    public KvmConfigurationAction Action { get; internal init; }

    /// <summary>The settings that change (Update), or that force a Replace.</summary>
    public KvmPropertyChange[] Changes { get; internal init; } = Array.Empty<KvmPropertyChange>();

    /// <summary>Why a Replace or Remove is planned, or what a Create makes.</summary>
    public string Reason { get; internal init; } = "";

    /// <summary>True when a change reaches the running VM only after a restart (applied then only with -AllowRestart).</summary>
    public bool NeedsRestart { get; internal init; }

    /// <summary>Keys of the configuration that only matter when the resource is made (e.g. Cdrom, CloudInit) and are not compared afterwards.</summary>
    public string[] NotCompared { get; internal init; } = Array.Empty<string>();

    /// <summary>The settings the configuration gives for the resource (the New-* parameters), secrets left out.</summary>
    public System.Collections.Generic.IReadOnlyDictionary<string, object?> Settings { get; internal init; } = new System.Collections.Generic.Dictionary<string, object?>();

    /// <summary>The cmdlet calls Invoke-KvmConfiguration makes for this item, in order.</summary>
    public KvmConfigurationStep[] Steps { get; internal init; } = Array.Empty<KvmConfigurationStep>();

    /// <summary>The changed property names, for a table.</summary>
    public string ChangedProperties => string.Join(", ", Changes.Select(c => c.Property));

    public override string ToString() => $"{Action} {Kind} {Name}";
}

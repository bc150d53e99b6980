namespace KvmPS.Engine.Configuration;

/// <summary>One resource of a configuration: its kind, name, host and settings.</summary>
public sealed class DesiredResource
{
    public KvmResourceKind Kind { get; init; }

    public string Name { get; init; } = "";

    /// <summary>The host (the resource's own Uri key, else the file's Uri, else the default connection).</summary>
    public string Uri { get; init; } = "";

    /// <summary>False for Ensure = 'Absent': the resource must not exist.</summary>
    public bool Present { get; init; } = true;

    /// <summary>The New-* parameters (without Name, Uri and Ensure), and for VMs the tuning tables.</summary>
    public DesiredSettings Settings { get; init; } = new(Array.Empty<KeyValuePair<string, object?>>());

    /// <summary>For volumes: the pool's name.</summary>
    public string? Pool => Kind == KvmResourceKind.Volume ? Settings.Text("Pool") : null;

    /// <summary>The name shown in plans: volumes as pool/name.</summary>
    public string DisplayName => Kind == KvmResourceKind.Volume ? $"{Pool}/{Name}" : Name;
}

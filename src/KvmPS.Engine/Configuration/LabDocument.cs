namespace KvmPS.Engine.Configuration;

/// <summary>A configuration read from a file: resources in the order they are made.</summary>
public sealed class LabDocument
{
    public string Uri { get; init; } = "";

    public IReadOnlyList<DesiredResource> Resources { get; init; } = Array.Empty<DesiredResource>();

    /// <summary>Every host the configuration places something on.</summary>
    public IEnumerable<string> Hosts => Resources.Select(r => r.Uri).Distinct(StringComparer.Ordinal);
}

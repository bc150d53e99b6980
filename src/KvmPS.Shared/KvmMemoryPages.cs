namespace KvmPS;

/// <summary>One &lt;page&gt; of a VM's huge-page backing: a page size, for all guest NUMA nodes or some.</summary>
public sealed class KvmMemoryPages
{
    /// <summary>Page size in bytes (2097152, 1073741824, ...).</summary>
    public ulong PageSizeBytes { get; internal init; }

    /// <summary>The guest NUMA nodes these pages back (a set such as 0-1); null for all nodes.</summary>
    public string? NodeSet { get; internal init; }

    /// <summary>The page size with a binary unit, e.g. 2 MiB; sorts by bytes.</summary>
    public KvmSize PageSize => new(PageSizeBytes);

    /// <inheritdoc />
    public override string ToString() => NodeSet is null ? PageSize.ToString() : $"{PageSize} (nodes {NodeSet})";
}

using KvmPS.Engine.Native;

namespace KvmPS.Engine.Statistics;

/// <summary>One domain's record of a bulk statistics call: who it is and its typed parameters.</summary>
public sealed class DomainStatsRecord
{
    public DomainStatsRecord(string name, Guid uuid, TypedParameters parameters)
    {
        Name = name;
        Uuid = uuid;
        Parameters = parameters;
    }

    public string Name { get; }

    public Guid Uuid { get; }

    public TypedParameters Parameters { get; }

    /// <summary>A domain reference of our own, when the reader was asked to keep one (the caller disposes it).</summary>
    public DomainHandle? Handle { get; internal set; }
}

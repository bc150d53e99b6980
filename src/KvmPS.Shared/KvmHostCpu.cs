namespace KvmPS;

/// <summary>A logical CPU of a host with its place in the topology.</summary>
public sealed class KvmHostCpu
{
    /// <summary>Logical CPU number.</summary>
    public int Id { get; internal init; }

    /// <summary>NUMA cell the CPU belongs to.</summary>
    public int CellId { get; internal init; }

    /// <summary>Socket number.</summary>
    public int SocketId { get; internal init; }

    /// <summary>Die number within the socket.</summary>
    public int DieId { get; internal init; }

    /// <summary>Core number within the socket.</summary>
    public int CoreId { get; internal init; }

    /// <summary>All logical CPUs sharing this core (itself included), as a cpuset string.</summary>
    public string Siblings { get; internal init; } = "";
}
